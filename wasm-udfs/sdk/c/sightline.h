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

/* Every host function as sightline_NAME, generated from the host's function table (guest addresses are void *). */
#include "sightline_imports.h"

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

/* Logs a NUL-terminated message. */
static inline void sightline_log_str(int32_t level, const char *message) {
    int32_t len = 0;
    while (message[len] != 0 && len < SIGHTLINE_MAX_LOG_BYTES) {
        len++;
    }
    sightline_log(level, (void *) message, len);
}

/* Outlines a face's box. */
static inline void sightline_draw_face_box(int32_t image, const sightline_face *face, int32_t rgb, float thickness) {
    sightline_draw_rect(image, face->x1, face->y1, face->x2, face->y2, rgb, thickness);
}

#endif
