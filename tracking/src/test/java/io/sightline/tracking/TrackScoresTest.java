package io.sightline.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sightline.tracking.TrackScores.Frame;
import io.sightline.tracking.TrackScores.Labelled;
import io.sightline.tracking.TrackScores.Tracked;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackScoresTest {

    private static Box at(float x) {
        return new Box(x, 0, x + 10, 10);
    }

    @Test
    void perfectTrackingScoresOne() {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(new Frame(List.of(new Labelled("p", at(i)), new Labelled("q", at(100 - i))),
                    List.of(new Tracked(7, at(i)), new Tracked(9, at(100 - i)))));
        }
        TrackScores scores = TrackScores.of(frames, 0.4);
        assertThat(scores.mota()).isEqualTo(1.0);
        assertThat(scores.idf1()).isEqualTo(1.0);
        assertThat(scores.idSwitches()).isZero();
        assertThat(scores.truthTracks()).isEqualTo(2);
    }

    @Test
    void aTrackThatTakesOverAnotherObjectIsOneSwitchAndHalvesIdentityMatches() {
        // Four frames of p: tracked as 1 in the first two, as 2 in the last two.
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(new Frame(List.of(new Labelled("p", at(0))), List.of(new Tracked(i < 2 ? 1 : 2, at(0)))));
        }
        TrackScores scores = TrackScores.of(frames, 0.4);
        assertThat(scores.idSwitches()).isEqualTo(1);
        assertThat(scores.mota()).isCloseTo(0.75, within(1e-9));
        assertThat(scores.idf1()).isCloseTo(0.5, within(1e-9)); // 2 · 2 / (4 + 4)
        assertThat(scores.fragmentations()).isZero();
    }

    @Test
    void missesFalsePositivesAndFragmentationsAreCounted() {
        List<Frame> frames = List.of(
                new Frame(List.of(new Labelled("p", at(0))), List.of(new Tracked(1, at(0)))),
                new Frame(List.of(new Labelled("p", at(0))), List.of(new Tracked(1, at(50)))),
                new Frame(List.of(new Labelled("p", at(0))), List.of(new Tracked(1, at(1)))));
        TrackScores scores = TrackScores.of(frames, 0.4);
        assertThat(scores.misses()).isEqualTo(1);
        assertThat(scores.falsePositives()).isEqualTo(1);
        assertThat(scores.fragmentations()).isEqualTo(1);
        assertThat(scores.idSwitches()).isZero();
        assertThat(scores.mota()).isCloseTo(1 - 2.0 / 3, within(1e-9));
    }

    @Test
    void theAssignmentIsOptimalNotGreedy() {
        // Greedy would pair row 0 with column 0 (0.9) and leave row 1 with 0.1; the optimum is 0.8 + 0.8.
        int[] pairing = Assignment.maximise(new double[][] {{0.9, 0.8}, {0.8, 0.1}}, 0);
        assertThat(pairing).containsExactly(1, 0);
        assertThat(Assignment.maximise(new double[][] {{0.3}, {0.6}}, 0.5)).containsExactly(-1, 0);
    }
}
