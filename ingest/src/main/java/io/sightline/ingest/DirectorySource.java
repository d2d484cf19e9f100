package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.SourceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes the image files of a folder as {@link Frame} records. A file is a candidate when its name looks like an
 * image; whether it is one, and its size, is then decided by its content ({@link ImageProbe}). Files at the top level
 * belong to the configured camera, files anywhere under a sub-folder to the camera named after that sub-folder; they
 * are published in order of capture time: EXIF {@code DateTimeOriginal} where a JPEG has it, else the file's time.
 */
public final class DirectorySource {

    private static final Set<String> IMAGE_SUFFIXES = Set.of("jpg", "jpeg", "jpe", "png");
    private static final Comparator<SourceFile> CAPTURE_ORDER = Comparator.comparing(SourceFile::capturedAt);

    private final DirectorySourceConfig config;
    private final ImageProbe probe;
    private final ZoneId exifZone;

    public DirectorySource(DirectorySourceConfig config) {
        this(config, ZoneId.systemDefault());
    }

    /** @param exifZone zone of EXIF times written without an offset (cameras write local time) */
    DirectorySource(DirectorySourceConfig config, ZoneId exifZone) {
        this.config = config;
        this.probe = new ImageProbe(config.limits().maxPixels());
        this.exifZone = exifZone;
    }

    /**
     * Candidate files ordered by capture time; files taken at the same time keep folder order (top-level files
     * first, then each sub-folder, names sorted).
     */
    public List<SourceFile> scan() throws IOException {
        List<SourceFile> found = new ArrayList<>();
        List<Path> entries = sortedEntries(config.directory());
        addCandidates(found, config.directory(), candidates(entries), config.topLevelCamera());
        for (Path entry : entries) {
            if (Files.isDirectory(entry) && !isHidden(entry)) {
                String camera = entry.getFileName().toString();
                DirectorySourceConfig.requireValidCameraId(camera);
                addCandidates(found, entry, candidatesBelow(entry), camera);
            }
        }
        List<SourceFile> ordered = new ArrayList<>(found);
        ordered.sort(CAPTURE_ORDER); // stable: ties keep folder order
        List<SourceFile> sequenced = new ArrayList<>();
        for (SourceFile file : ordered) {
            sequenced.add(new SourceFile(file.path(), file.cameraId(), file.frameId(), sequenced.size(),
                    file.capturedAt()));
        }
        return sequenced;
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
            throw RejectedImageException.tooLarge(content.length + " bytes", config.limits());
        }
        ImageHeader header = probe.probe(content);
        return Frame.newBuilder()
                .setCameraId(file.cameraId())
                .setFrameId(file.frameId())
                .setCapturedAt(file.capturedAt())
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

    /** Frame ids are the file's stem, unique per camera: on a clash the name, then the path below the folder. */
    private void addCandidates(List<SourceFile> into, Path folder, List<Path> files, String camera)
            throws IOException {
        Set<String> frameIds = new HashSet<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String stem = name.substring(0, name.lastIndexOf('.'));
            String frameId = frameIds.add(stem) ? stem
                    : frameIds.add(name) ? name
                    : folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "_");
            frameIds.add(frameId);
            into.add(new SourceFile(file, camera, frameId, into.size(), captureTime(file)));
        }
    }

    private Instant captureTime(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(ExifTime.HEADER_BYTES);
        }
        Optional<Instant> taken = ExifTime.of(head, exifZone);
        return taken.isPresent() ? taken.get() : Files.getLastModifiedTime(file).toInstant();
    }

    private static List<Path> candidates(List<Path> entries) {
        return entries.stream().filter(DirectorySource::isCandidate).toList();
    }

    /** Image files anywhere below the folder, hidden files and folders left out, in path order. */
    private static List<Path> candidatesBelow(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> !hiddenBelow(folder, p) && isCandidate(p))
                    .sorted(Comparator.comparing(p -> folder.relativize(p).toString())).toList();
        }
    }

    private int countSkipped() throws IOException {
        int skipped = 0;
        try (Stream<Path> files = Files.walk(config.directory())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = config.directory().relativize(file);
                boolean inHiddenFolder = relative.getNameCount() > 1 && hiddenBelow(config.directory(),
                        file.getParent());
                if (Files.isRegularFile(file) && !inHiddenFolder && !isCandidate(file)) {
                    skipped++;
                }
            }
        }
        return skipped;
    }

    private static boolean isCandidate(Path p) {
        return Files.isRegularFile(p) && !isHidden(p) && hasImageSuffix(p);
    }

    private static boolean hiddenBelow(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
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
