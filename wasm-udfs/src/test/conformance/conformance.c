/* ABI conformance UDF, C edition: conformance.ts in C on sightline.h. AbiConformanceTest expects the same results
 * from all three editions. */
#include "sightline.h"

#define MAX_FACES 64
#define TOO_MANY_FACES 60
#define ERROR_STATUS 42
#define INIT_FAILED 3
#define GROW_GRANTED 5
#define GROW_PAGES 4096
#define UNKNOWN_HANDLE 999
#define BOX_RGB 0x00ff00
#define POINT_RGB 0xff0000
#define CONFIG_CAPACITY 256
#define CAMERA_CAPACITY 64

static char config[CONFIG_CAPACITY];
static char camera[CAMERA_CAPACITY];
static sightline_face faces[MAX_FACES];
static int32_t inits, frames, config_length, config_sum, camera_length;
static volatile int32_t spins;

static int32_t min32(int32_t a, int32_t b) {
    return a < b ? a : b;
}

static int32_t byte_sum(const char *bytes, int32_t length) {
    int32_t sum = 0;
    for (int32_t i = 0; i < length; i++) {
        sum += (unsigned char) bytes[i];
    }
    return sum;
}

static int equals(const char *bytes, int32_t length, const char *expected) {
    int32_t i = 0;
    for (; i < length; i++) {
        if (expected[i] == 0 || expected[i] != bytes[i]) {
            return 0;
        }
    }
    return expected[i] == 0;
}

static int config_is(const char *expected) {
    return equals(config, min32(config_length, CONFIG_CAPACITY), expected);
}

static int camera_is(const char *expected) {
    return equals(camera, camera_length, expected);
}

SIGHTLINE_EXPORT(abi_version) int32_t abi_version(void) {
    return SIGHTLINE_ABI_VERSION;
}

SIGHTLINE_EXPORT(init) int32_t init(void) {
    inits++;
    config_length = sightline_udf_config(config, CONFIG_CAPACITY);
    config_sum = byte_sum(config, min32(config_length, CONFIG_CAPACITY));
    sightline_log_str(SIGHTLINE_LOG_INFO, "hello");
    if (config_is("{\"init\":\"fail\"}")) return INIT_FAILED;
    if (config_is("{\"init\":\"trap\"}")) __builtin_trap();
    if (config_is("{\"init\":\"frame\"}")) sightline_frame_image(1);
    return 0;
}

static int32_t meta(int32_t frame, int32_t image) {
    int64_t at = sightline_frame_captured_at(frame);
    sightline_face *record = &faces[0];
    record->x1 = 0;
    record->y1 = 0;
    record->x2 = (float) sightline_image_width(image);
    record->y2 = (float) sightline_image_height(image);
    record->score = 0.5f;
    record->landmarks[0] = (sightline_point) {(float) camera_length, (float) byte_sum(camera, camera_length)};
    record->landmarks[1] = (sightline_point) {(float) (at / 1000000), (float) (at % 1000000)};
    record->landmarks[2] = (sightline_point) {(float) config_length, (float) config_sum};
    record->landmarks[3] = (sightline_point) {(float) inits, (float) frames};
    record->landmarks[4] = (sightline_point) {(float) SIGHTLINE_ABI_VERSION, 0};
    sightline_emit_detections(record, 1);
    return SIGHTLINE_EMITTED;
}

static int32_t detect(int32_t image) {
    int32_t count = sightline_detect_faces(image, 0);
    if (count > MAX_FACES) return TOO_MANY_FACES;
    for (int32_t i = 0; i < count; i++) {
        sightline_face *face = &faces[i];
        sightline_face_get(i, face);
        sightline_draw_face_box(image, face, BOX_RGB, 2);
        for (int k = 0; k < 5; k++) {
            sightline_draw_point(image, face->landmarks[k].x, face->landmarks[k].y, 2, POINT_RGB);
        }
    }
    sightline_emit_detections(faces, count);
    sightline_emit_image(image);
    return SIGHTLINE_EMITTED;
}

SIGHTLINE_EXPORT(on_frame) int32_t on_frame(int32_t frame) {
    frames++;
    camera_length = min32(sightline_frame_camera_id(frame, camera, CAMERA_CAPACITY), CAMERA_CAPACITY);
    int32_t image = sightline_frame_image(frame);
    if (camera_is("meta")) return meta(frame, image);
    if (camera_is("detect")) return detect(image);
    if (camera_is("detect-min")) {
        sightline_detect_faces(image, 40);
        return SIGHTLINE_DROPPED;
    }
    if (camera_is("drop")) return SIGHTLINE_DROPPED;
    if (camera_is("error")) return ERROR_STATUS;
    if (camera_is("trap")) __builtin_trap();
    if (camera_is("loop")) {
        for (;;) spins++;
    }
    if (camera_is("grow")) return __builtin_wasm_memory_grow(0, GROW_PAGES) == (__SIZE_TYPE__) -1 ? SIGHTLINE_DROPPED : GROW_GRANTED;
    if (camera_is("log")) {
        sightline_log_str(SIGHTLINE_LOG_INFO, "hello");
        return SIGHTLINE_DROPPED;
    }
    if (camera_is("bad-image")) return sightline_image_width(UNKNOWN_HANDLE);
    if (camera_is("bad-face")) {
        sightline_face_get(sightline_detect_faces(image, 0), &faces[0]);
        return SIGHTLINE_EMITTED;
    }
    if (camera_is("bad-pointer")) {
        sightline_emit_detections((const sightline_face *) 0xfffffff0u, 1);
        return SIGHTLINE_EMITTED;
    }
    if (camera_is("bad-coord")) {
        sightline_draw_rect(image, __builtin_nanf(""), 0, 10, 10, BOX_RGB, 1);
        return SIGHTLINE_EMITTED;
    }
    if (camera_is("bad-log")) {
        sightline_log(9, "hello", 5);
        return SIGHTLINE_EMITTED;
    }
    if (camera_is("bad-record")) {
        faces[0].x1 = 10;
        faces[0].y1 = 0;
        faces[0].x2 = 5;
        faces[0].y2 = 5;
        sightline_emit_detections(&faces[0], 1);
        return SIGHTLINE_EMITTED;
    }
    sightline_emit_image(image);
    return SIGHTLINE_EMITTED;
}
