package io.sightline.tracking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One camera's zones and lines, in pixels of its frames: what {@link ZoneWatch} reports tracks entering, leaving,
 * crossing and loitering in. Immutable; its {@link #sha256()} is computed once, as every event of the camera asks.
 */
public final class CameraZones {

    private final List<Zone> zones;
    private final List<Line> lines;
    private final String sha256;

    /** A point in pixels; (0, 0) is the frame's top-left corner. */
    public record Point(double x, double y) {}

    /**
     * A polygon (at least three corners, in order round it); {@code loiter}: a track inside it this long, without
     * leaving, raises one loitering alert.
     */
    public record Zone(String name, List<Point> polygon, Optional<Duration> loiter) {

        public Zone {
            polygon = List.copyOf(polygon);
            if (polygon.size() < 3) {
                throw new IllegalArgumentException("zone " + name + " needs a polygon of at least 3 points, has "
                        + polygon.size());
            }
            if (loiter.isPresent() && (loiter.get().isNegative() || loiter.get().isZero())) {
                throw new IllegalArgumentException("zone " + name + ": loiter must be a positive duration");
            }
        }

        /** Whether the point lies inside the polygon (even-odd rule). */
        public boolean contains(double x, double y) {
            boolean inside = false;
            for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
                Point a = polygon.get(i);
                Point b = polygon.get(j);
                if ((a.y() > y) != (b.y() > y) && x < (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x()) {
                    inside = !inside;
                }
            }
            return inside;
        }
    }

    /** A segment a track crosses, counted by direction on the screen. */
    public record Line(String name, Point from, Point to) {

        public Line {
            if (from.equals(to)) {
                throw new IllegalArgumentException("line " + name + " needs two different points");
            }
        }

        /**
         * The direction of a move from (x0, y0) to (x1, y1) across the segment, or empty when it does not cross
         * it: {@code left-to-right} or {@code right-to-left} for a line more upright than flat, else
         * {@code top-to-bottom} or {@code bottom-to-top}.
         */
        public Optional<String> crossing(double x0, double y0, double x1, double y1) {
            double s0 = side(x0, y0);
            double s1 = side(x1, y1);
            if ((s0 >= 0) == (s1 >= 0)) { // a point on the line counts as on its positive side
                return Optional.empty();
            }
            // The move crosses the line's extension; it must also pass between the segment's ends.
            double d0 = (from.x() - x0) * (y1 - y0) - (from.y() - y0) * (x1 - x0);
            double d1 = (to.x() - x0) * (y1 - y0) - (to.y() - y0) * (x1 - x0);
            if ((d0 > 0) == (d1 > 0) && d0 != 0 && d1 != 0) {
                return Optional.empty();
            }
            boolean upright = Math.abs(to.y() - from.y()) >= Math.abs(to.x() - from.x());
            if (upright) {
                return Optional.of(x1 > x0 ? "left-to-right" : "right-to-left");
            }
            return Optional.of(y1 > y0 ? "top-to-bottom" : "bottom-to-top");
        }

        private double side(double x, double y) {
            return (to.x() - from.x()) * (y - from.y()) - (to.y() - from.y()) * (x - from.x());
        }
    }

    public CameraZones(List<Zone> zones, List<Line> lines) {
        this.zones = List.copyOf(zones);
        this.lines = List.copyOf(lines);
        Set<String> names = new HashSet<>();
        for (String name : java.util.stream.Stream.concat(zones.stream().map(Zone::name),
                lines.stream().map(Line::name)).toList()) {
            if (!names.add(name)) {
                throw new IllegalArgumentException("two zones or lines are named " + name
                        + ": give each its own name");
            }
        }
        this.sha256 = fingerprint();
    }

    public List<Zone> zones() {
        return zones;
    }

    public List<Line> lines() {
        return lines;
    }

    public static CameraZones none() {
        return new CameraZones(List.of(), List.of());
    }

    public boolean isEmpty() {
        return zones.isEmpty() && lines.isEmpty();
    }

    /**
     * As JSON, what the dashboard draws: {@code {"zones":[{"name":...,"polygon":[[x,y],...],"loiterSeconds":...}],
     * "lines":[{"name":...,"from":[x,y],"to":[x,y]}]}}.
     */
    public String toJson() {
        var json = new StringBuilder("{\"zones\":[");
        for (int i = 0; i < zones.size(); i++) {
            Zone zone = zones.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(quoted(zone.name())).append(",\"polygon\":[");
            for (int p = 0; p < zone.polygon().size(); p++) {
                json.append(p == 0 ? "" : ",").append(xy(zone.polygon().get(p)));
            }
            json.append("]");
            zone.loiter().ifPresent(d -> json.append(",\"loiterSeconds\":").append(d.toMillis() / 1000.0));
            json.append("}");
        }
        json.append("],\"lines\":[");
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(quoted(line.name())).append(",\"from\":")
                    .append(xy(line.from())).append(",\"to\":").append(xy(line.to())).append("}");
        }
        return json.append("]}").toString();
    }

    private static String xy(Point p) {
        return String.format(Locale.ROOT, "[%s,%s]", p.x(), p.y());
    }

    private static String quoted(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Hex SHA-256 of a canonical description: which zones and lines a record was made against. */
    public String sha256() {
        return sha256;
    }

    private String fingerprint() {
        var text = new StringBuilder();
        for (Zone zone : zones) {
            text.append("zone ").append(zone.name()).append(' ').append(points(zone.polygon()))
                    .append(zone.loiter().map(d -> " loiter " + d.toMillis()).orElse("")).append('\n');
        }
        for (Line line : lines) {
            text.append("line ").append(line.name()).append(' ').append(points(List.of(line.from(), line.to())))
                    .append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private static String points(List<Point> points) {
        var text = new StringBuilder();
        for (Point p : points) {
            text.append(String.format(Locale.ROOT, "(%s,%s)", p.x(), p.y()));
        }
        return text.toString();
    }
}
