/* face-box: outlines every face the host's detector finds and reports the faces and the annotated image. */
#include "sightline.h"

#define GREEN 0x00c853
#define THICKNESS 2.0f

SIGHTLINE_EXPORT(abi_version) int32_t abi_version(void) {
    return SIGHTLINE_ABI_VERSION;
}

SIGHTLINE_EXPORT(on_frame) int32_t on_frame(int32_t frame) {
    static sightline_face face;
    int32_t image = sightline_frame_image(frame);
    int32_t count = sightline_detect_faces(image, 0.0f);
    for (int32_t i = 0; i < count; i++) {
        sightline_face_get(i, &face);
        sightline_draw_face_box(image, &face, GREEN, THICKNESS);
        sightline_emit_detections(&face, 1);
    }
    sightline_emit_image(image);
    return SIGHTLINE_EMITTED;
}
