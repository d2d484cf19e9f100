package io.sightline.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.UdfDeploymentTopic;
import io.sightline.udf.BundledUdf;
import io.sightline.udf.TrustedKeys;
import io.sightline.udf.UdfRuntime;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The transforms there are: every bundled UDF, and, given a cluster, every deployment in the udfs topic (which a
 * processor runs instead of the bundled UDF of the same name).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the UDFs: the bundled ones (source bundled) and, with --bootstrap-servers and "
                + "--registry-url, those deployed in the udfs topic (source deployed), with version, sha256 and size.",
            "A processor runs a name's deployment when there is one, else its bundled UDF."})
final class UdfListCommand implements Callable<Integer> {

    @ArgGroup(exclusive = false, heading = "Deployed UDFs, from the cluster:%n")
    KafkaOptions kafka;

    @Mixin
    TrustOptions trust;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrustedKeys trustedKeys = trust.keys();
        List<BundledUdf> bundled = UdfRuntime.bundledUdfs();
        Map<String, UdfDeploymentRecord> deployments = Map.of();
        if (kafka != null) {
            kafka.requireReachable(List.of(kafka.topics().udfs()));
            deployments = new UdfDeploymentTopic(kafka.bootstrapServers, kafka.topics().udfs(), kafka.serdes())
                    .deployments();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (BundledUdf udf : bundled) {
                ObjectNode row = array.addObject()
                        .put("name", udf.info().name())
                        .put("source", "bundled")
                        .put("version", udf.info().version())
                        .put("sha256", udf.info().sha256())
                        .put("size", udf.bytes())
                        .put("description", udf.description());
                row.put("active", kafka == null || !deployments.containsKey(udf.info().name()));
            }
            deployments.values().forEach(udf -> {
                ObjectNode row = array.addObject()
                        .put("name", udf.getName())
                        .put("source", "deployed")
                        .put("version", udf.getVersion())
                        .put("sha256", udf.getSha256())
                        .put("size", udf.getModule().remaining())
                        .put("config", udf.getConfigJson())
                        .put("deployedAt", udf.getDeployedAt().toString())
                        .put("signer", udf.getSignature() == null ? null : udf.getSignature().getSigner())
                        .put("active", true);
                if (trustedKeys.required()) {
                    TrustedKeys.Check check = check(udf, trustedKeys);
                    row.put("trusted", check instanceof TrustedKeys.Check.Accepted);
                    row.put("trustedKey", check instanceof TrustedKeys.Check.Accepted accepted
                            ? accepted.keyName().orElseThrow() : null);
                }
            });
            out.println(array);
        } else {
            out.printf("%-16s %-9s %-16s %-64s %9s  %s%n", "NAME", "SOURCE", "VERSION", "SHA256", "BYTES", "");
            for (BundledUdf udf : bundled) {
                boolean replaced = deployments.containsKey(udf.info().name());
                out.printf("%-16s %-9s %-16s %s %9d  %s%n", udf.info().name(), "bundled", udf.info().version(),
                        udf.info().sha256(), udf.bytes(), replaced ? "(replaced by its deployment)" : udf.description());
            }
            deployments.values().forEach(udf -> out.printf("%-16s %-9s %-16s %s %9d  deployed %s, %s%n",
                    udf.getName(), "deployed", udf.getVersion(), udf.getSha256(), udf.getModule().remaining(),
                    udf.getDeployedAt(), signedBy(udf, trustedKeys)));
            if (kafka == null) {
                out.println("(bundled only: add --bootstrap-servers and --registry-url for the deployed ones)");
            } else if (deployments.isEmpty()) {
                out.println("(no UDF deployed in " + kafka.topics().udfs() + ": processors run the bundled UDFs)");
            }
        }
        out.flush();
        return 0;
    }

    /** Who signed the deployment, and, given trusted keys, whether a processor with them would run it. */
    private static String signedBy(UdfDeploymentRecord udf, TrustedKeys trustedKeys) {
        String signer = udf.getSignature() == null ? "unsigned" : "signed by " + udf.getSignature().getSigner();
        if (!trustedKeys.required()) {
            return signer;
        }
        TrustedKeys.Check check = check(udf, trustedKeys);
        return check instanceof TrustedKeys.Check.Accepted accepted
                ? signer + " (trusted key " + accepted.keyName().orElseThrow() + ")"
                : signer + " (NOT trusted: processors with these keys refuse it)";
    }

    private static TrustedKeys.Check check(UdfDeploymentRecord udf, TrustedKeys trustedKeys) {
        return trustedKeys.check(UdfDeploymentTopic.deployment(udf), UdfDeploymentTopic.signature(udf).orElse(null));
    }
}
