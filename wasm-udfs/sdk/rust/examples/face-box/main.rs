// face-box: outlines every face the host's detector finds and reports the faces and the annotated image.
use sightline::{Frame, Status};

const GREEN: u32 = 0x00c853;
const THICKNESS: f32 = 2.0;

fn on_frame(frame: Frame) -> Status {
    let image = frame.image();
    let faces: Vec<_> = image.detect_faces(0.0).iter().collect();
    for face in &faces {
        image.draw_rect(face, GREEN, THICKNESS);
    }
    sightline::emit_detections(&faces);
    image.emit();
    Status::Emitted
}

sightline::udf!(on_frame: on_frame);
