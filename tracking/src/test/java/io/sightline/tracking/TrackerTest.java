package io.sightline.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static Box square(double cx, double cy, double size) {
        return new Box((float) (cx - size / 2), (float) (cy - size / 2), (float) (cx + size / 2), (float) (cy + size / 2));
    }

    private static float[] scores(int n, float score) {
        float[] scores = new float[n];
        java.util.Arrays.fill(scores, score);
        return scores;
    }

    @Test
    void aStaticSceneKeepsOneIdPerFaceForTheWholeRun() {
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        List<Box> faces = List.of(square(100, 100, 40), square(200, 100, 40), square(300, 120, 50));
        long[] first = tracker.update(T0, faces, scores(3, 0.99f));
        assertThat(first).doesNotContain(Tracker.NO_TRACK).doesNotHaveDuplicates();
        for (int i = 1; i < 200; i++) {
            assertThat(tracker.update(T0 + i * 200L, faces, scores(3, 0.99f))).containsExactly(first);
        }
    }

    @Test
    void idsComeFromTheFrameATrackStartedInLeftToRight() {
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        long[] ids = tracker.update(T0, List.of(square(300, 100, 40), square(100, 100, 40)), scores(2, 0.99f));
        assertThat(ids).containsExactly(T0 * 1000 + 1, T0 * 1000);
    }

    @Test
    void twoFacesCrossingWithOneHiddenKeepTheirIds() {
        // a moves right, b left, at 5 frames a second; b is hidden (no detection) for the frames where they overlap.
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        long a = 0;
        long b = 0;
        for (int frame = 0; frame < 60; frame++) {
            double ax = 100 + frame * 8;
            double bx = 580 - frame * 8;
            List<Box> faces = new ArrayList<>();
            faces.add(square(ax, 200, 40));
            boolean hidden = Math.abs(ax - bx) < 40;
            if (!hidden) {
                faces.add(square(bx, 204, 40));
            }
            long[] ids = tracker.update(T0 + frame * 200L, faces, scores(faces.size(), 0.99f));
            if (frame == 0) {
                a = ids[0];
                b = ids[1];
            }
            assertThat(ids[0]).as("frame %d", frame).isEqualTo(a);
            if (!hidden) {
                assertThat(ids[1]).as("frame %d", frame).isEqualTo(b);
            }
        }
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void motionIsOnCaptureTimeSoDroppedFramesNeedNothingSpecial() {
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        long id = tracker.update(T0, List.of(square(100, 100, 40)), scores(1, 0.99f))[0];
        assertThat(tracker.update(T0 + 100, List.of(square(115, 100, 40)), scores(1, 0.99f))).containsExactly(id);
        // 15 px per 100 ms: after 600 ms without a frame the face is 90 px further, beyond any overlap with where
        // it was last seen, but where the prediction puts it.
        assertThat(tracker.update(T0 + 700, List.of(square(205, 100, 40)), scores(1, 0.99f))).containsExactly(id);
    }

    @Test
    void aDoubtfulFaceKeepsATrackAndStartsOneOnlyWhenTheNextFrameConfirmsIt() {
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        long id = tracker.update(T0, List.of(square(100, 100, 40)), scores(1, 0.99f))[0];
        assertThat(tracker.update(T0 + 200, List.of(square(102, 100, 40), square(400, 100, 40)),
                new float[] {0.85f, 0.85f})).containsExactly(id, Tracker.NO_TRACK);
        // A one-frame doubtful detection gets no id; seen again, its track is born with the id of its first frame.
        assertThat(tracker.update(T0 + 400, List.of(square(104, 100, 40), square(402, 100, 40)),
                new float[] {0.99f, 0.85f})).containsExactly(id, (T0 + 200) * 1000);
        assertThat(tracker.update(T0 + 600, List.of(square(106, 100, 40)), scores(1, 0.99f)))
                .containsExactly(id);
    }

    @Test
    void aTrackEndsAfterTheMissTimeAndAFaceThereAfterStartsANewOne() {
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        long id = tracker.update(T0, List.of(square(100, 100, 40)), scores(1, 0.99f))[0];
        tracker.update(T0 + 1_000, List.of(), new float[0]);
        assertThat(tracker.activeIds()).containsExactly(id);
        tracker.update(T0 + 1_600, List.of(), new float[0]);
        assertThat(tracker.activeIds()).isEmpty();
        assertThat(tracker.update(T0 + 1_800, List.of(square(100, 100, 40)), scores(1, 0.99f))[0])
                .isEqualTo((T0 + 1_800) * 1000);
    }

    @Test
    void aTrackIsBornAfterItsHitsAndAOneFrameFalseDetectionNever() {
        var settings = new TrackerSettings(0.95, 0.2, 0.5, 3, Duration.ofSeconds(1), Duration.ofMillis(300));
        Tracker tracker = Tracker.start(settings);
        assertThat(tracker.update(T0, List.of(square(100, 100, 40), square(400, 100, 30)), scores(2, 0.99f)))
                .containsExactly(Tracker.NO_TRACK, Tracker.NO_TRACK);
        assertThat(tracker.update(T0 + 200, List.of(square(100, 100, 40)), scores(1, 0.99f)))
                .containsExactly(Tracker.NO_TRACK);
        assertThat(tracker.update(T0 + 400, List.of(square(100, 100, 40)), scores(1, 0.99f)))
                .containsExactly(T0 * 1000);
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void aRestoredTrackerGoesOnExactlyAsTheOneItWasSavedFrom() {
        Tracker left = Tracker.start(TrackerSettings.defaults());
        Tracker right = null;
        for (int frame = 0; frame < 40; frame++) {
            List<Box> faces = List.of(square(100 + frame * 5, 100, 40), square(500 - frame * 6, 110, 44));
            long[] expected = left.update(T0 + frame * 150L, faces, scores(2, 0.97f));
            if (frame == 17) {
                right = Tracker.restore(TrackerSettings.defaults(), left.state());
                continue;
            }
            if (right != null) {
                assertThat(right.update(T0 + frame * 150L, faces, scores(2, 0.97f))).containsExactly(expected);
            }
        }
        assertThat(right.state()).isEqualTo(left.state());
    }

    @Test
    void aFrameProcessedAgainGetsTheSameIds() {
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        List<Box> faces = List.of(square(100, 100, 40), square(300, 100, 40));
        long[] first = tracker.update(T0, faces, scores(2, 0.99f));
        assertThat(tracker.update(T0, faces, scores(2, 0.99f))).containsExactly(first);
        assertThat(tracker.size()).isEqualTo(2);
    }

    @Test
    void aLateFrameIsAssociatedWithoutChangingTheTracks() {
        Tracker tracker = Tracker.start(TrackerSettings.defaults());
        long id = tracker.update(T0, List.of(square(100, 100, 40)), scores(1, 0.99f))[0];
        tracker.update(T0 + 400, List.of(square(110, 100, 40)), scores(1, 0.99f));
        byte[] before = tracker.state();
        Tracker.Step late = tracker.step(T0 + 200, List.of(square(108, 100, 40), square(500, 500, 40)),
                scores(2, 0.99f), "late");
        assertThat(late.ids()).containsExactly(id, Tracker.NO_TRACK);
        assertThat(late.late()).isTrue();
        assertThat(late.started()).isEmpty();
        assertThat(tracker.state()).isEqualTo(before);
    }
}
