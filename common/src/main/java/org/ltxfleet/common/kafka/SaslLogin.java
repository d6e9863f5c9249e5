package org.ltxfleet.common.kafka;

import java.util.Map;
import java.util.Optional;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * The JAAS login line for {@code kafka.sasl.username} and {@code kafka.sasl.password}. Kafka's
 * clients take credentials only inside {@code sasl.jaas.config}, which KEDA's Kafka scaler and
 * Strimzi's KafkaUser cannot read; with the name and password as settings of their own, one Secret
 * holds them for the services, for KEDA's TriggerAuthentication and for the broker's user.
 */
final class SaslLogin {

    private static final Map<String, String> MODULES = Map.of(
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

    private SaslLogin() {
    }

    /**
     * The login line when a user name is set; {@code given} is the operator's other {@code kafka.*}
     * settings. A user without password or mechanism, or beside a JAAS line of its own, is refused
     * with an {@link IllegalArgumentException} naming the settings.
     */
    static Optional<String> from(FleetConfig config, Map<String, String> given) {
        String user = Settings.KAFKA_SASL_USERNAME.read(config);
        String password = Settings.KAFKA_SASL_PASSWORD.read(config);
        if (user == null && password == null) {
            return Optional.empty();
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException(Settings.KAFKA_SASL_USERNAME.key() + " and "
                    + Settings.KAFKA_SASL_PASSWORD.key() + " go together: set both or neither");
        }
        if (given.containsKey("kafka.sasl.jaas.config")) {
            throw new IllegalArgumentException("kafka.sasl.jaas.config and " + Settings.KAFKA_SASL_USERNAME.key()
                    + " both give the login: keep one");
        }
        String mechanism = given.get("kafka.sasl.mechanism");
        String module = mechanism == null ? null : MODULES.get(mechanism);
        if (module == null) {
            throw new IllegalArgumentException(Settings.KAFKA_SASL_USERNAME.key() + " needs kafka.sasl.mechanism "
                    + "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (was " + mechanism + "); other mechanisms take "
                    + "kafka.sasl.jaas.config");
        }
        return Optional.of(module + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";");
    }

    /** A JAAS string value: backslash and double quote escaped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
