package io.sightline.app;

import io.sightline.schemas.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How to reach a secured Kafka cluster: TLS (with a client certificate for mutual TLS) and SASL (PLAIN,
 * SCRAM-SHA-256/512; OAUTHBEARER and the rest through --kafka-property). The same options, and their SIGHTLINE_*
 * environment variables, on every command that talks to a cluster; they apply to every client the command makes.
 */
class KafkaSecurityOptions {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

    @Option(names = "--kafka-security-protocol", paramLabel = "PROTOCOL",
            description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: SASL_SSL with --kafka-sasl-user, SSL "
                    + "with only a trust or key store, else PLAINTEXT).")
    String protocol;

    @Option(names = "--kafka-sasl-mechanism", paramLabel = "MECHANISM", defaultValue = "SCRAM-SHA-512",
            description = "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with --kafka-sasl-user; others (OAUTHBEARER) with "
                    + "sasl.jaas.config in --kafka-property (default: ${DEFAULT-VALUE}).")
    String mechanism;

    @Option(names = "--kafka-sasl-user", paramLabel = "USER", description = "SASL user name.")
    String user;

    @Option(names = "--kafka-sasl-password", paramLabel = "PASSWORD",
            description = "SASL password (better from the environment variable than the command line).")
    String password;

    @Option(names = "--kafka-truststore", paramLabel = "FILE",
            description = "PKCS#12 (or .jks) trust store with the brokers' CA (default: the JVM's trusted CAs).")
    Path truststore;

    @Option(names = "--kafka-truststore-password", paramLabel = "PASSWORD", description = "The trust store's password.")
    String truststorePassword;

    @Option(names = "--kafka-keystore", paramLabel = "FILE",
            description = "PKCS#12 (or .jks) key store with this client's certificate and key, for mutual TLS.")
    Path keystore;

    @Option(names = "--kafka-keystore-password", paramLabel = "PASSWORD",
            description = "The key store's password (also its key's).")
    String keystorePassword;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", split = EnvironmentDefaults.ENTRY_SEPARATOR,
            splitSynopsisLabel = ",",
            description = "Any other Kafka client security setting, passed to every client as is, e.g. "
                    + "sasl.login.callback.handler.class=… for OAUTHBEARER; wins over the options above.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** From now on every client of the cluster at {@code bootstrapServers} is made with the settings asked for. */
    void apply(String bootstrapServers) {
        KafkaClients.secure(bootstrapServers, settings());
    }

    /** The client settings the options ask for; a contradiction or a missing file is a usage error. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        String chosen = protocol != null ? protocol.toUpperCase()
                : user != null ? "SASL_SSL" : truststore != null || keystore != null ? "SSL" : "PLAINTEXT";
        if (!PROTOCOLS.contains(chosen)) {
            throw new IllegalArgumentException("--kafka-security-protocol must be one of " + PROTOCOLS + ", got "
                    + protocol);
        }
        boolean sasl = chosen.startsWith("SASL_");
        if (!chosen.equals("PLAINTEXT")) {
            settings.put("security.protocol", chosen);
        }
        if (sasl) {
            settings.put("sasl.mechanism", mechanism);
            if (user != null) {
                settings.put("sasl.jaas.config", jaas());
            } else if (!properties.containsKey("sasl.jaas.config")) {
                throw new IllegalArgumentException(chosen + " needs --kafka-sasl-user and --kafka-sasl-password, or "
                        + "sasl.jaas.config in --kafka-property");
            }
        } else if (user != null) {
            throw new IllegalArgumentException("--kafka-sasl-user needs a SASL protocol (SASL_SSL or SASL_PLAINTEXT), "
                    + "not " + chosen);
        }
        if (truststore != null) {
            settings.put("ssl.truststore.location", existing(truststore, "--kafka-truststore"));
            settings.put("ssl.truststore.type", type(truststore));
            if (truststorePassword != null) {
                settings.put("ssl.truststore.password", truststorePassword);
            }
        }
        if (keystore != null) {
            settings.put("ssl.keystore.location", existing(keystore, "--kafka-keystore"));
            settings.put("ssl.keystore.type", type(keystore));
            if (keystorePassword != null) {
                settings.put("ssl.keystore.password", keystorePassword);
                settings.put("ssl.key.password", keystorePassword);
            }
        }
        settings.putAll(properties);
        return settings;
    }

    private String jaas() {
        String module = LOGIN_MODULES.get(mechanism.toUpperCase());
        if (module == null) {
            throw new IllegalArgumentException("--kafka-sasl-user works with " + LOGIN_MODULES.keySet() + "; for "
                    + mechanism + " give sasl.jaas.config in --kafka-property");
        }
        if (password == null) {
            throw new IllegalArgumentException("--kafka-sasl-user " + user + " needs --kafka-sasl-password");
        }
        return module + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";";
    }

    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String existing(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + " does not exist");
        }
        return file.toAbsolutePath().toString();
    }

    private static String type(Path store) {
        return store.toString().endsWith(".jks") ? "JKS" : "PKCS12";
    }
}
