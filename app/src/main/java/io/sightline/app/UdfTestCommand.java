package io.sightline.app;

import io.sightline.offline.UdfFileTest;
import io.sightline.udf.UdfDeployment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sightline udf test}: its options; the run is {@link UdfFileTest}. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run a UDF on image files, locally (no broker): a bundled UDF by name, or a .wasm module "
                + "loaded and checked exactly as a deployment would be.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image was processed (emitted or dropped by the UDF)",
                "1:at least one image failed (see its error)",
                "2:bad arguments, or the module was refused (one line says why)"})
final class UdfTestCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME|FILE.wasm",
            description = "A bundled UDF (face-annotate, face-blur, crowd-alert, frame-sampler) or a WebAssembly "
                    + "module file (NAME.wasm).")
    String udf;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE",
            description = "JPEG or PNG files, or folders: their *.jpg, *.jpeg and *.png files, sub-folders included.")
    List<Path> images;

    @Option(names = "--config", paramLabel = "JSON", defaultValue = UdfDeployment.NO_CONFIG,
            description = "The UDF's config, handed to it as is (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write each emitted image to DIR/<image name>.png (or .jpg when a PNG would be too large), "
                    + "and each record of a named output to DIR/<image name>.<output>.png|.jpg|.json "
                    + "(-2, -3, ... before the extension for more records to the same output).")
    Path outDir;

    @Option(names = "--json", description = "One JSON object per image on stdout, as `detect --json` prints.")
    boolean json;

    @Mixin
    MinFaceOptions minFace;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var settings = new UdfFileTest.Settings(udf, images, config, outDir, json, minFace.pixels);
        return new UdfFileTest(settings, assets.modelStoreConfig(),
                spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }
}
