package org.ltxfleet.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    @Test
    void acceptsOnlyTheRightSecret() {
        var keys = new ApiKeys().add("id1:secret1");
        assertThat(keys.authenticate("Key id1:secret1")).contains("id1");
        assertThat(keys.authenticate("key id1:secret1")).contains("id1");
        assertThat(keys.authenticate("Key id1:wrong")).isEmpty();
        assertThat(keys.authenticate("Key other:secret1")).isEmpty();
        assertThat(keys.authenticate("Bearer id1:secret1")).isEmpty();
        assertThat(keys.authenticate("Key id1")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
    }

    @Test
    void storesOnlyHashes(@TempDir Path dir) throws Exception {
        String key = ApiKeys.generate();
        Path file = dir.resolve("keys.json");
        new ApiKeys().add(key).save(file);
        String secret = key.substring(key.indexOf(':') + 1);
        assertThat(Files.readString(file)).doesNotContain(secret).contains(key.substring(0, key.indexOf(':')));
        assertThat(ApiKeys.load(file).authenticate("Key " + key)).isPresent();
    }

    @Test
    void rejectsMalformedKeys() {
        assertThatThrownBy(() -> new ApiKeys().add("no-colon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeys().add("id:")).isInstanceOf(IllegalArgumentException.class);
    }
}
