/*
 * Sightline UDF SDK for C: the host imports of the Sightline UDF ABI, version 1 (module "sightline"; see
 * wasm-udfs/ABI.md), the face record, and the export helpers. No libc needed. Build a UDF with
 *
 *   clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -I wasm-udfs/sdk/c my-udf.c -o my-udf.wasm
 *
 * and export its entry points with SIGHTLINE_EXPORT (or -Wl,--export=on_frame -Wl,--export=abi_version ...).
 */
#ifndef SIGHTLINE_H
#define SIGHTLINE_H

#include <stdint.h>

#define SIGHTLINE_ABI_VERSION 1

/* Return values of on_frame; any other value is the UDF's own error code, reported as UDF_ERROR. */
#define SIGHTLINE_EMITTED 0
#define SIGHTLINE_DROPPED 1

#define SIGHTLINE_LOG_DEBUG 0
#define SIGHTLINE_LOG_INFO 1
#define SIGHTLINE_LOG_WARN 2
#define SIGHTLINE_LOG_ERROR 3
#define SIGHTLINE_MAX_LOG_BYTES 4096

/* Exports a function under its ABI name: SIGHTLINE_EXPORT(on_frame) int32_t on_frame(int32_t frame) { ... } */
#define SIGHTLINE_EXPORT(name) __attribute__((export_name(#name)))

#define SIGHTLINE_IMPORT(name) __attribute__((import_module("sightline"), import_name(#name)))

/* A point in image pixels. */
typedef struct {
    float x;
    float y;
} sightline_point;

/* The ABI's face record (60 bytes): box corners, (x1, y1) top-left, score, then five landmarks: left eye,
 * right eye, nose, left mouth corner, right mouth corner. */
typedef struct {
    float x1, y1, x2, y2;
    float score;
    sightline_point landmarks[5];
} sightline_face;

_Static_assert(sizeof(sightline_face) == 60, "the ABI's face record is 15 f32");

/* Handle of the frame's decoded image. */
SIGHTLINE_IMPORT(frame_image) int32_t sightline_frame_image(int32_t frame);
/* Capture time of the frame, epoch milliseconds (record time: a UDF has no wall clock). */
SIGHTLINE_IMPORT(frame_captured_at) int64_t sightline_frame_captured_at(int32_t frame);
/* Writes up to cap UTF-8 bytes of the camera id at ptr; returns the id's full length. */
SIGHTLINE_IMPORT(frame_camera_id) int32_t sightline_frame_camera_id(int32_t frame, char *ptr, int32_t cap);
/* Size of the image in pixels. */
SIGHTLINE_IMPORT(image_width) int32_t sightline_image_width(int32_t image);
SIGHTLINE_IMPORT(image_height) int32_t sightline_image_height(int32_t image);
/* Runs the face detector, keeps the result and returns the count; min_face <= 0 uses the host's minimum. */
SIGHTLINE_IMPORT(detect_faces) int32_t sightline_detect_faces(int32_t image, float min_face);
/* Writes face index of the last detect_faces as a face record at face. */
SIGHTLINE_IMPORT(face_get) void sightline_face_get(int32_t index, sightline_face *face);
/* Outlines the box with lines thickness pixels wide, inside the box; rgb is 0xRRGGBB. */
SIGHTLINE_IMPORT(draw_rect) void sightline_draw_rect(int32_t image, float x1, float y1, float x2, float y2,
                                                     int32_t rgb, float thickness);
/* Fills a disc of radius pixels. */
SIGHTLINE_IMPORT(draw_point) void sightline_draw_point(int32_t image, float x, float y, float radius, int32_t rgb);
/* Reports count face records read from faces; calls accumulate within one frame. */
SIGHTLINE_IMPORT(emit_detections) void sightline_emit_detections(const sightline_face *faces, int32_t count);
/* Chooses the image as the frame's annotated output; the host encodes it after on_frame returns. */
SIGHTLINE_IMPORT(emit_image) void sightline_emit_image(int32_t image);
/* Logs len UTF-8 bytes at message; at most SIGHTLINE_MAX_LOG_BYTES. */
SIGHTLINE_IMPORT(log) void sightline_log(int32_t level, const char *message, int32_t len);
/* Writes up to cap bytes of the UDF's config JSON at ptr ("{}" when none); returns its full length. */
SIGHTLINE_IMPORT(udf_config) int32_t sightline_udf_config(char *ptr, int32_t cap);

/* Logs a NUL-terminated message. */
static inline void sightline_log_str(int32_t level, const char *message) {
    int32_t len = 0;
    while (message[len] != 0 && len < SIGHTLINE_MAX_LOG_BYTES) {
        len++;
    }
    sightline_log(level, message, len);
}

/* Outlines a face's box. */
static inline void sightline_draw_face_box(int32_t image, const sightline_face *face, int32_t rgb, float thickness) {
    sightline_draw_rect(image, face->x1, face->y1, face->x2, face->y2, rgb, thickness);
}

#endif
