package io.sightline.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folders Sightline makes for itself (a temporary broker's data, a processor's or dashboard's state copy, a
 * bench's scratch space) and removes when it is done with them.
 */
public final class Folders {

    private Folders() {}

    /**
     * Deletes a folder and everything in it (or a file), as far as possible, and says whether all of it went: what is
     * left of a temporary folder is never a reason to fail, so nothing is thrown.
     */
    public static boolean deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        return !Files.exists(dir);
    }
}
