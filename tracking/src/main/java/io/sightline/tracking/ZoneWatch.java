package io.sightline.tracking;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches one camera's tracks against its {@link CameraZones}: a track's point (its box's centre) entering or
 * leaving a zone, staying in one past the zone's loiter time (once per track and zone), and crossing a line between two
 * frames it was seen in. A track that ends inside a zone leaves it when it ends. Like the {@link Tracker}, the whole
 * state is bytes ({@link #state()}), so it moves with the camera's partition.
 */
public final class ZoneWatch {

    /** What happened: {@code kind} is zone-enter, zone-exit, loiter or line-cross. */
    public record Happening(String kind, String name, long trackId, long time, Optional<String> direction,
            long dwellMs) {}

    /**
     * A born track seen in a frame, at its box's centre; a track born with this frame also says where and when it
     * was first seen ({@code since}: its first capture time, or -1), so a track born only on its second sighting
     * (a face the detector doubted) still counts the line it crossed between the two.
     */
    public record Seen(long trackId, double x, double y, long since, double firstX, double firstY) {

        public Seen(long trackId, double x, double y) {
            this(trackId, x, y, -1, 0, 0);
        }
    }

    private static final byte FORMAT = 1;

    private final CameraZones zones;
    /** Per track: where it was last seen, and since when it is in each zone it is in (-1: not in it). */
    private final Map<Long, Presence> tracks;

    private static final class Presence {
        double x;
        double y;
        final long[] enteredAt;
        final boolean[] loitered;

        Presence(int zones) {
            enteredAt = new long[zones];
            loitered = new boolean[zones];
            java.util.Arrays.fill(enteredAt, -1);
        }
    }

    private ZoneWatch(CameraZones zones, Map<Long, Presence> tracks) {
        this.zones = zones;
        this.tracks = tracks;
    }

    /** The watch whose {@link #state()} was {@code state} (a new one for null); state of other zones is dropped. */
    public static ZoneWatch restore(CameraZones zones, byte[] state) {
        Map<Long, Presence> tracks = new LinkedHashMap<>();
        if (state != null && state.length > 0) {
            try (var in = new DataInputStream(new ByteArrayInputStream(state))) {
                if (in.readByte() != FORMAT || !in.readUTF().equals(zones.sha256())) {
                    return new ZoneWatch(zones, tracks); // the zones changed: start afresh
                }
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    long id = in.readLong();
                    Presence presence = new Presence(zones.zones().size());
                    presence.x = in.readDouble();
                    presence.y = in.readDouble();
                    for (int z = 0; z < zones.zones().size(); z++) {
                        presence.enteredAt[z] = in.readLong();
                        presence.loitered[z] = in.readBoolean();
                    }
                    tracks.put(id, presence);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("zone state is cut short", e);
            }
        }
        return new ZoneWatch(zones, tracks);
    }

    public byte[] state() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(zones.sha256());
            out.writeInt(tracks.size());
            for (Map.Entry<Long, Presence> entry : tracks.entrySet()) {
                out.writeLong(entry.getKey());
                out.writeDouble(entry.getValue().x);
                out.writeDouble(entry.getValue().y);
                for (int z = 0; z < zones.zones().size(); z++) {
                    out.writeLong(entry.getValue().enteredAt[z]);
                    out.writeBoolean(entry.getValue().loitered[z]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * One frame: the born tracks seen in it and the tracks that ended with it.
     *
     * @param time  the frame's capture time, epoch milliseconds
     * @param ended ended tracks, with the time each was last seen
     */
    public List<Happening> step(long time, Collection<Seen> seen, Map<Long, Long> ended) {
        List<Happening> happenings = new ArrayList<>();
        for (Seen track : seen) {
            Presence presence = tracks.get(track.trackId());
            if (presence == null && track.since() >= 0 && track.since() < time) {
                presence = new Presence(zones.zones().size());
                tracks.put(track.trackId(), presence);
                presence.x = track.firstX();
                presence.y = track.firstY();
                visit(presence, track.trackId(), track.since(), happenings);
            }
            if (presence == null) {
                presence = new Presence(zones.zones().size());
                tracks.put(track.trackId(), presence);
            } else {
                for (CameraZones.Line line : zones.lines()) {
                    Optional<String> direction = line.crossing(presence.x, presence.y, track.x(), track.y());
                    if (direction.isPresent()) {
                        happenings.add(new Happening("line-cross", line.name(), track.trackId(), time, direction, 0));
                    }
                }
            }
            presence.x = track.x();
            presence.y = track.y();
            visit(presence, track.trackId(), time, happenings);
        }
        for (Map.Entry<Long, Long> end : ended.entrySet()) {
            Presence presence = tracks.remove(end.getKey());
            for (int z = 0; presence != null && z < zones.zones().size(); z++) {
                if (presence.enteredAt[z] >= 0) {
                    happenings.add(new Happening("zone-exit", zones.zones().get(z).name(), end.getKey(),
                            end.getValue(), Optional.empty(), end.getValue() - presence.enteredAt[z]));
                }
            }
        }
        return happenings;
    }

    /** The track at its present point at {@code time}: entering, leaving or loitering in each zone. */
    private void visit(Presence presence, long trackId, long time, List<Happening> happenings) {
        for (int z = 0; z < zones.zones().size(); z++) {
            CameraZones.Zone zone = zones.zones().get(z);
            boolean inside = zone.contains(presence.x, presence.y);
            if (inside && presence.enteredAt[z] < 0) {
                presence.enteredAt[z] = time;
                happenings.add(new Happening("zone-enter", zone.name(), trackId, time, Optional.empty(), 0));
            } else if (!inside && presence.enteredAt[z] >= 0) {
                happenings.add(new Happening("zone-exit", zone.name(), trackId, time, Optional.empty(),
                        time - presence.enteredAt[z]));
                presence.enteredAt[z] = -1;
            }
            if (inside && !presence.loitered[z] && zone.loiter().isPresent()
                    && time - presence.enteredAt[z] >= zone.loiter().get().toMillis()) {
                presence.loitered[z] = true;
                happenings.add(new Happening("loiter", zone.name(), trackId, time, Optional.empty(),
                        time - presence.enteredAt[z]));
            }
        }
    }
}
