package io.sightline.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.tracking.CameraZones.Line;
import io.sightline.tracking.CameraZones.Point;
import io.sightline.tracking.CameraZones.Zone;
import io.sightline.tracking.ZoneWatch.Happening;
import io.sightline.tracking.ZoneWatch.Seen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ZoneWatchTest {

    private static final CameraZones ZONES = new CameraZones(
            List.of(new Zone("counter", List.of(new Point(100, 100), new Point(300, 100), new Point(300, 300),
                    new Point(100, 300)), Optional.of(Duration.ofSeconds(2)))),
            List.of(new Line("door", new Point(400, 0), new Point(400, 400))));

    @Test
    void aTrackWalkingThroughTheZoneAndOverTheLineEntersLeavesAndCrossesOnce() {
        ZoneWatch watch = ZoneWatch.restore(ZONES, null);
        List<Happening> all = new ArrayList<>();
        for (int frame = 0; frame <= 25; frame++) {
            all.addAll(watch.step(1000L * frame / 5, List.of(new Seen(7, 50 + frame * 20, 200)), Map.of()));
        }
        assertThat(all).extracting(Happening::kind).containsExactly("zone-enter", "zone-exit", "line-cross");
        assertThat(all.get(1).dwellMs()).isEqualTo(2000); // in at x 110, out at 310: 10 frames at 5 fps
        assertThat(all.get(2).direction()).contains("left-to-right");
        assertThat(all).allSatisfy(h -> assertThat(h.trackId()).isEqualTo(7));
    }

    @Test
    void loiteringFiresOncePerTrackAndATrackEndingInsideLeaves() {
        ZoneWatch watch = ZoneWatch.restore(ZONES, null);
        List<Happening> all = new ArrayList<>();
        for (int frame = 0; frame < 30; frame++) {
            all.addAll(watch.step(200L * frame, List.of(new Seen(3, 200, 200)), Map.of()));
        }
        // Out and back in for another 3 s: a second visit, but the track has loitered already.
        all.addAll(watch.step(6000, List.of(new Seen(3, 350, 200)), Map.of()));
        for (int frame = 0; frame < 15; frame++) {
            all.addAll(watch.step(6200 + 200L * frame, List.of(new Seen(3, 200, 200)), Map.of()));
        }
        all.addAll(watch.step(11000, List.of(), Map.of(3L, 9000L)));
        assertThat(all).extracting(Happening::kind)
                .containsExactly("zone-enter", "loiter", "zone-exit", "zone-enter", "zone-exit");
        assertThat(all.get(1).time()).isEqualTo(2000);
        assertThat(all.get(2).time()).isEqualTo(6000);
        assertThat(all.get(4).time()).isEqualTo(9000);
        assertThat(all.get(4).dwellMs()).isEqualTo(2800);
    }

    @Test
    void theLineCountsEachDirectionAndAMovePastItsEndIsNoCrossing() {
        Line door = ZONES.lines().get(0);
        assertThat(door.crossing(390, 200, 410, 200)).contains("left-to-right");
        assertThat(door.crossing(410, 200, 390, 210)).contains("right-to-left");
        assertThat(door.crossing(390, 500, 410, 500)).isEmpty();
        assertThat(door.crossing(390, 200, 399, 200)).isEmpty();
        // A point on the line counts as on one side: a move onto it and on is one crossing, whichever side counts.
        assertThat(door.crossing(410, 200, 400, 200)).contains("right-to-left");
        assertThat(door.crossing(400, 200, 390, 200)).isEmpty();
        assertThat(door.crossing(390, 200, 400, 200)).isEmpty();
        assertThat(door.crossing(400, 200, 410, 200)).contains("left-to-right");
        Line flat = new Line("hall", new Point(0, 100), new Point(200, 100));
        assertThat(flat.crossing(50, 90, 55, 120)).contains("top-to-bottom");
    }

    @Test
    void aRestoredWatchGoesOnAndNewZonesStartAfresh() {
        ZoneWatch watch = ZoneWatch.restore(ZONES, null);
        watch.step(0, List.of(new Seen(1, 200, 200)), Map.of());
        ZoneWatch restored = ZoneWatch.restore(ZONES, watch.state());
        assertThat(restored.step(200, List.of(new Seen(1, 350, 200)), Map.of())).extracting(Happening::kind)
                .containsExactly("zone-exit");
        CameraZones moved = new CameraZones(List.of(), ZONES.lines());
        assertThat(ZoneWatch.restore(moved, watch.state()).state()).isEqualTo(ZoneWatch.restore(moved, null).state());
    }

    @Test
    void aTrackBornOnItsSecondSightingCountsTheLineItCrossedBetweenTheTwo() {
        ZoneWatch watch = ZoneWatch.restore(ZONES, null);
        assertThat(watch.step(200, List.of(new Seen(9, 420, 350, 0, 380, 350)), Map.of()))
                .extracting(Happening::kind, Happening::direction)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("line-cross", Optional.of("left-to-right")));
    }
}
