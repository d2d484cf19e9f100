package io.sightline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** `broker --bind/--advertised-host/--external-listener` as Kafka listener properties. */
class ListenersTest {

    private static final EmbeddedKafkaConfig PORTS = EmbeddedKafkaConfig.defaults().withPorts(19092, 19093);

    @Test
    void withoutOptionsTheBrokerStaysOnLoopbackAsBefore() {
        Listeners listeners = Listeners.parse("127.0.0.1", null, null);

        assertThat(listeners.isDefault()).isTrue();
        assertThat(listeners.applyTo(PORTS)).isEqualTo(PORTS);
    }

    @Test
    void inAContainerTheClientPortIsAdvertisedByNameAndTheExternalListenerForTheHost() {
        var config = Listeners.parse("0.0.0.0", "broker", "127.0.0.1:29092").applyTo(PORTS);

        assertThat(config.overrides())
                .containsEntry("listeners",
                        "PLAINTEXT://0.0.0.0:19092,EXTERNAL://0.0.0.0:29092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://broker:19092,EXTERNAL://127.0.0.1:29092")
                .containsEntry("listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT");
        assertThat(Listeners.parse("0.0.0.0", "broker", "127.0.0.1:29092").advertised(19092))
                .isEqualTo("broker:19092,127.0.0.1:29092");
    }

    @Test
    void portsLeftToChooseAreChosenBecauseTheListenerLinesNameThem() {
        var config = Listeners.parse("0.0.0.0", null, null).applyTo(EmbeddedKafkaConfig.defaults());

        assertThat(config.port()).isPositive();
        assertThat(config.controllerPort()).isPositive().isNotEqualTo(config.port());
        assertThat(config.overrides().get("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:" + config.port());
    }

    @Test
    void aBadExternalListenerSaysWhatToGive() {
        assertThatThrownBy(() -> Listeners.parse("0.0.0.0", "broker", "29092"))
                .hasMessageContaining("--external-listener must be HOST:PORT").hasMessageContaining("29092");
        assertThatThrownBy(() -> Listeners.parse("0.0.0.0", "broker", "host:99999"))
                .hasMessageContaining("PORT 1..65535");
        assertThatThrownBy(() -> Listeners.parse("0.0.0.0", "broker", "127.0.0.1:19092").applyTo(PORTS))
                .hasMessageContaining("must differ from the client port 19092");
    }
}
