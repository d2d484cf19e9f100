package io.sightline.ingest;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.SourceInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes the image files of a folder as {@link Frame} records. A file is a candidate when its name looks like an
 * image; whether it is one, and its size, is then decided by its content ({@link ImageProbe}).
 */
public final class DirectorySource {

    private static final Set<String> IMAGE_SUFFIXES = Set.of("jpg", "jpeg", "jpe", "png");

    private final DirectorySourceConfig config;
    private final ImageProbe probe;

    public DirectorySource(DirectorySourceConfig config) {
        this.config = config;
        this.probe = new ImageProbe(config.limits().maxPixels());
    }

    /** Candidate files in a stable order: top-level files first, then each sub-folder, names sorted. */
    public List<SourceFile> scan() throws IOException {
        List<SourceFile> found = new ArrayList<>();
        List<Path> entries = sortedEntries(config.directory());
        addCandidates(found, entries, config.topLevelCamera());
        for (Path entry : entries) {
            if (Files.isDirectory(entry) && !isHidden(entry)) {
                String camera = entry.getFileName().toString();
                DirectorySourceConfig.requireValidCameraId(camera);
                addCandidates(found, sortedEntries(entry), camera);
            }
        }
        return found;
    }

    /** Reads every candidate once and hands it to the sink as a frame or a rejection. */
    public IngestReport publish(FrameSink sink) throws IOException {
        int published = 0;
        int rejected = 0;
        for (SourceFile file : scan()) {
            byte[] content = Files.readAllBytes(file.path());
            try {
                sink.frame(toFrame(file, content));
                published++;
            } catch (RejectedImageException e) {
                sink.rejected(file.cameraId(), file.frameId(), file.path().getFileName().toString(), content, e);
                rejected++;
            }
        }
        return new IngestReport(published, rejected, countSkipped());
    }

    Frame toFrame(SourceFile file, byte[] content) throws IOException, RejectedImageException {
        if (!config.limits().fitsPayload(content.length)) {
            throw new RejectedImageException(DeadLetterReason.TOO_LARGE, content.length
                    + " bytes exceeds the frame limit of " + config.limits().maxPayloadBytes()
                    + " (record limit " + config.limits().maxRecordBytes() + " bytes)");
        }
        ImageHeader header = probe.probe(content);
        return Frame.newBuilder()
                .setCameraId(file.cameraId())
                .setFrameId(file.frameId())
                .setCapturedAt(Files.getLastModifiedTime(file.path()).toInstant())
                .setEncoding(header.encoding())
                .setWidth(header.width())
                .setHeight(header.height())
                .setPayload(ByteBuffer.wrap(content))
                .setSource(SourceInfo.newBuilder()
                        .setKind("directory")
                        .setUri(file.path().toUri().toString())
                        .setSequence(file.sequence())
                        .build())
                .build();
    }

    private void addCandidates(List<SourceFile> into, List<Path> entries, String camera) {
        Set<String> frameIds = new HashSet<>();
        for (Path entry : entries) {
            if (Files.isRegularFile(entry) && !isHidden(entry) && hasImageSuffix(entry)) {
                String name = entry.getFileName().toString();
                String stem = name.substring(0, name.lastIndexOf('.'));
                // Two files with one stem (a.jpg, a.png) must not become one frame id.
                String frameId = frameIds.add(stem) ? stem : name;
                frameIds.add(frameId);
                into.add(new SourceFile(entry, camera, frameId, into.size()));
            }
        }
    }

    private int countSkipped() throws IOException {
        int skipped = 0;
        for (Path entry : sortedEntries(config.directory())) {
            if (Files.isRegularFile(entry) && (isHidden(entry) || !hasImageSuffix(entry))) {
                skipped++;
            }
        }
        return skipped;
    }

    private static List<Path> sortedEntries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private static boolean isHidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hasImageSuffix(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
