package io.sightline.udf.internal;

import io.sightline.udf.UdfInfo;
import io.sightline.udf.bundled.FaceAnnotateModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/** The UDFs built from this module's AssemblyScript sources and compiled to bytecode at build time. */
public final class BundledUdfs {

    public static final String FACE_ANNOTATE = "face-annotate";

    private static final String RESOURCES = "/io/sightline/udf/bundled/";

    private BundledUdfs() {}

    public static Set<String> names() {
        return Set.of(FACE_ANNOTATE);
    }

    public static Optional<UdfModule> byName(String name) {
        return FACE_ANNOTATE.equals(name) ? Optional.of(faceAnnotate()) : Optional.empty();
    }

    public static UdfModule faceAnnotate() {
        String name = FACE_ANNOTATE;
        UdfInfo info = new UdfInfo(name, version(name), sha256(resource(name + ".wasm")));
        return new UdfModule(info, FaceAnnotateModule.load(), FaceAnnotateModule::create);
    }

    private static String version(String name) {
        Properties properties = new Properties();
        try (InputStream in = BundledUdfs.class.getResourceAsStream(RESOURCES + "bundled.properties")) {
            if (in == null) {
                throw new IllegalStateException("bundled.properties is missing from the classpath: broken build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(name + ".version");
    }

    private static byte[] resource(String file) {
        try (InputStream in = BundledUdfs.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the classpath: broken build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
