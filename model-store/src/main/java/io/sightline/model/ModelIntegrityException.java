package io.sightline.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model's content does not match its pinned sha256. */
public final class ModelIntegrityException extends ModelStoreException {

    private final String expectedSha256;
    private final String actualSha256;

    private ModelIntegrityException(String message, String expectedSha256, String actualSha256) {
        super(message, null);
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    static ModelIntegrityException ofFile(ModelSpec spec, Path file, String actualSha256) {
        return new ModelIntegrityException("model " + spec.name() + " at " + file + " has sha256 " + actualSha256
                + " but " + spec.sha256() + " is pinned" + sizeNote(spec, file) + "; replace it with the pinned "
                + spec.relativePath() + " or delete it", spec.sha256(), actualSha256);
    }

    static ModelIntegrityException ofDownload(ModelSpec spec, URI source, Path partial, String actualSha256) {
        return new ModelIntegrityException("model " + spec.name() + " downloaded from " + source + " has sha256 "
                + actualSha256 + " but " + spec.sha256() + " is pinned" + sizeNote(spec, partial)
                + "; nothing was cached", spec.sha256(), actualSha256);
    }

    /** A wrong length says more than a wrong digest: most often the file was cut short. */
    private static String sizeNote(ModelSpec spec, Path file) {
        try {
            long actual = Files.size(file);
            if (spec.sizeBytes() > 0 && actual != spec.sizeBytes()) {
                return " (it has " + actual + " bytes, expected " + spec.sizeBytes()
                        + (actual < spec.sizeBytes() ? ": truncated)" : ")");
            }
        } catch (IOException e) {
            // The digest mismatch is reported either way.
        }
        return "";
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }
}
