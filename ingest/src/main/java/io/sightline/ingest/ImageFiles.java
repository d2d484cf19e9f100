package io.sightline.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Image files named on a command line: files as they are, folders as the .jpg, .jpeg and .png files inside. */
public final class ImageFiles {

    private static final Pattern IMAGE_NAME = Pattern.compile("(?i)[^.].*\\.(jpe?g|png)");

    private ImageFiles() {}

    /** The files named, with each folder replaced by the images inside it (sub-folders included, in name order). */
    public static List<Path> of(List<Path> arguments) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                List<Path> found = imagesIn(argument);
                if (found.isEmpty()) {
                    throw new IllegalArgumentException("folder " + argument + " holds no .jpg, .jpeg or .png files");
                }
                files.addAll(found);
            } else if (Files.isRegularFile(argument)) {
                files.add(argument);
            } else {
                throw new IllegalArgumentException("image " + argument + " does not exist");
            }
        }
        return files;
    }

    private static List<Path> imagesIn(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> IMAGE_NAME.matcher(path.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
    }
}
