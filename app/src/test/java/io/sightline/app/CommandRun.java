package io.sightline.app;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a launcher command in-process and captures what it prints. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = Sightline.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    static Path assets() {
        Path assets = Path.of(System.getProperty("sightline.assets", "../../shared")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(assets.resolve("models/mtcnn/mtcnn.pb"))) {
            fail("asset dir " + assets + " has no models/mtcnn/mtcnn.pb: put the shared assets there or set -Dsightline.assets=DIR");
        }
        return assets;
    }
}
