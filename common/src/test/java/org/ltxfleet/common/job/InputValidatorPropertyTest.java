package org.ltxfleet.common.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever JSON a client sends, the schema check accepts it or refuses it with problems that each
 * name where they are (the body, or one of the endpoint's fields): never another exception, which
 * the gateway would answer 500.
 */
class InputValidatorPropertyTest {

    private final InputValidator validator = new InputValidator();

    @Provide
    Arbitrary<JsonNode> bodies() {
        return RequestBodies.bodies();
    }

    @Property(tries = 2000)
    void anyBodyIsAcceptedOrRefusedByField(@ForAll("bodies") JsonNode body) {
        try {
            var checked = validator.check(body);
            assertThat(checked.input().trainingDataUrl()).startsWith("http");
            Statistics.collect("accepted");
        } catch (InvalidInputException refused) {
            Statistics.collect("refused");
            assertThat(refused.problems()).isNotEmpty().allSatisfy(problem -> {
                assertThat(problem.loc()).first().isEqualTo("body");
                if (problem.loc().size() > 1) {
                    assertThat(RequestBodies.FIELDS).contains((String) problem.loc().get(1));
                }
                assertThat(problem.msg()).isNotBlank();
                assertThat(problem.type()).isNotBlank();
            });
        }
        // Both paths are exercised, or the property proves little.
        Statistics.coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p > 1);
            coverage.check("refused").percentage(p -> p > 50);
        });
    }
}
