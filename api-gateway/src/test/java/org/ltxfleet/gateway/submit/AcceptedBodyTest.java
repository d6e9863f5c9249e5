package org.ltxfleet.gateway.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.http.RequestUrls;

class AcceptedBodyTest {

    @Test
    void theStreamedAnswerIsTheDocumentFalClientsRead() {
        var urls = new RequestUrls("https://api.example.com/fal-ai/x/requests/r1",
                "https://api.example.com/fal-ai/x/requests/r1/status", "https://api.example.com/fal-ai/x/requests/r1/cancel");
        String body = SubmitHandler.acceptedBody("r1", urls, 7).toString(StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"status\":\"IN_QUEUE\",\"request_id\":\"r1\",\"gateway_request_id\":\"r1\","
                + "\"response_url\":\"https://api.example.com/fal-ai/x/requests/r1\","
                + "\"status_url\":\"https://api.example.com/fal-ai/x/requests/r1/status\","
                + "\"cancel_url\":\"https://api.example.com/fal-ai/x/requests/r1/cancel\",\"queue_position\":7}");
    }

    @Test
    void aHostNeedingEscapesIsEscapedAsTheTreeWasAndANegativePositionIsZero() {
        // A Host header is the client's to choose: whatever it holds must stay inside its string.
        String base = "http://h\"ö\\\u0001.example";
        var urls = new RequestUrls(base + "/r", base + "/r/status", base + "/r/cancel");
        var tree = Json.object().put("status", "IN_QUEUE").put("request_id", "r").put("gateway_request_id", "r")
                .put("response_url", urls.responseUrl()).put("status_url", urls.statusUrl())
                .put("cancel_url", urls.cancelUrl()).put("queue_position", 0);
        assertThat(SubmitHandler.acceptedBody("r", urls, -1).getBytes()).isEqualTo(Json.toBytes(tree));
    }
}
