package io.sightline.udf;

import io.sightline.model.FaceDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test UDFs built from src/test/assemblyscript, loaded the way a deployed module is: from bytes, at run time. */
final class TestUdfs {

    static final String VERSION = "1.0.0";

    private TestUdfs() {}

    static UdfDeployment deployment(String name) {
        return UdfDeployment.of(name, VERSION, wasm("/" + name + ".wasm"));
    }

    static UdfRuntime load(String name, FaceDetector detector, UdfConfig config) {
        return UdfRuntime.load(deployment(name), detector, config);
    }

    static byte[] wasm(String resource) {
        try (InputStream in = TestUdfs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath: broken build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
