package io.sightline.app;

import io.sightline.udf.Ed25519Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Makes an Ed25519 key pair for signing UDF deployments. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Make an Ed25519 key pair for signing UDF deployments: NAME.key (private, PKCS#8 PEM, readable "
                + "by you only) for `udf deploy --sign`, NAME.pub (public) for processors' --trusted-keys.",
            "The same files as `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` make."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:bad arguments, or a key file of that name exists (nothing overwritten)"})
final class UdfKeygenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Who signs with it, e.g. alice or ci; names the files.")
    String name;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Folder to write the two files to (default: the current one).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("key name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        Path privateFile = out.resolve(name + ".key");
        Path publicFile = out.resolve(name + ".pub");
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + " exists; remove it or choose another name");
            }
        }
        Files.createDirectories(out);
        KeyPair pair = Ed25519Keys.generate();
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateFile, Ed25519Keys.pem(pair.getPrivate()));
        Files.writeString(publicFile, Ed25519Keys.pem(pair.getPublic()));
        spec.commandLine().getOut().printf("wrote %s (private: keep it secret) and %s (public, key id %s)%n",
                privateFile, publicFile, Ed25519Keys.id(pair.getPublic()));
        return 0;
    }
}
