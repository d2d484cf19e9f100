package io.sightline.app;

import io.sightline.access.HttpAuth;
import io.sightline.access.TlsKeystore;
import io.sightline.access.Users;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Who may use an HTTP endpoint, and whether it is served over TLS. */
final class HttpAccessOptions {

    @Option(names = "--users", paramLabel = "FILE",
            description = "Require HTTP basic authentication against this users file (`sightline users add FILE "
                    + "NAME`; each user read or write) (default: no login).")
    Path users;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Also (or instead) accept `Authorization: Bearer TOKEN` for any token in this file, one per "
                    + "line, at least 16 characters; a token reads only.")
    Path tokens;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS with the key and certificate of this PKCS#12 (or .jks) keystore, e.g. from "
                    + "`keytool -genkeypair -keystore FILE -storetype PKCS12` (default: plain HTTP).")
    Path keystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD",
            description = "The keystore's password (better from the environment variable than the command line).")
    String keystorePassword;

    /** The login the options ask for; an unreadable or malformed file is a usage error. */
    HttpAuth auth(String realm) {
        Optional<Users> known = Optional.ofNullable(users).map(Users::read);
        List<String> bearer = tokens == null ? List.of() : HttpAuth.readTokens(tokens);
        return known.isEmpty() && bearer.isEmpty() ? HttpAuth.open() : HttpAuth.of(known, bearer, realm);
    }

    /** The keystore, when TLS is asked for; a wrong password is a usage error. */
    Optional<TlsKeystore> tls() {
        if (keystore == null) {
            if (keystorePassword != null) {
                throw new IllegalArgumentException("--tls-keystore-password without --tls-keystore");
            }
            return Optional.empty();
        }
        return Optional.of(TlsKeystore.open(keystore, keystorePassword));
    }
}
