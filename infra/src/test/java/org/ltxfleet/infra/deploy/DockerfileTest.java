package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code infra/deploy/images/Dockerfile}: the default target runs any service on CPUs from its
 * distribution; the {@code train-gpu} target runs the train worker on a CUDA 12.8 libtorch of the
 * version DJL's JNI is built for, with the variables docs/GPU.md names and without the CPU natives
 * that DJL would load instead. (DistributionIT checks the copied folders against the distributions.)
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("deploy", "images", "Dockerfile");

    @Test
    void theDefaultTargetIsTheCpuServiceOnTheJre() throws IOException {
        DockerStages docker = DockerStages.read(DOCKERFILE);
        assertThat(docker.last()).isEqualTo("service");
        assertThat(docker.baseImage("service")).startsWith("eclipse-temurin:21-jre");
        DockerStages.Stage service = docker.stage("service");
        assertThat(service.all("COPY")).extracting(c -> c.split("\\s+")[0]).containsExactly("bin/", "conf/", "lib/");
        // Building the CPU image never downloads libtorch.
        assertThat(docker.chain("service")).extracting(DockerStages.Stage::name).doesNotContain("libtorch");
        for (String target : List.of("service", "train-gpu")) {
            DockerStages.Stage stage = docker.stage(target);
            assertThat(stage.all("USER")).as("USER of %s", target).containsExactly("10001:10001");
            assertThat(stage.all("ENTRYPOINT").getFirst()).contains("/opt/ltx/bin/ltx-$LTX_SERVICE");
            assertThat(stage.all("HEALTHCHECK").getFirst()).contains("/opt/ltx/bin/ltx-health");
        }
        // The root filesystem may be read-only: the natives' caches go to /tmp.
        assertThat(docker.stage("runtime").env()).containsEntry("DJL_CACHE_DIR", "/tmp/djl");
        assertThat(docker.stage("runtime").env().get("JAVA_TOOL_OPTIONS"))
                .contains("-Dorg.bytedeco.javacpp.cachedir=/tmp/");
    }

    @Test
    void theGpuTargetCarriesCudaLibtorchForDjlsJniAndNoCpuNatives() throws IOException {
        DockerStages docker = DockerStages.read(DOCKERFILE);
        String torch = pomProperty("pytorch.version");
        DockerStages.Stage gpu = docker.stage("train-gpu");
        assertThat(docker.baseImage("train-gpu")).startsWith("eclipse-temurin:21-jre");
        assertThat(gpu.env()).containsEntry("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib")
                .containsEntry("PYTORCH_VERSION", torch).containsEntry("PYTORCH_FLAVOR", "cu128")
                .containsEntry("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "1").containsEntry("LTX_SERVICE", "train-worker");
        assertThat(gpu.env().get("NVIDIA_DRIVER_CAPABILITIES")).contains("compute");
        // bin/ and conf/ from the distribution, lib/ only through the stage that drops the CPU natives.
        assertThat(gpu.all("COPY")).anyMatch(c -> c.startsWith("bin/")).anyMatch(c -> c.startsWith("conf/"))
                .noneMatch(c -> c.startsWith("lib/"))
                .anyMatch(c -> c.startsWith("--from=train-gpu-files /opt/ltx/lib/ /opt/ltx/lib/"))
                .anyMatch(c -> c.startsWith("--from=libtorch /opt/libtorch/lib/ /opt/libtorch/lib/"));
        String dropped = String.join(" ", docker.stage("train-gpu-files").all("RUN"));
        assertThat(dropped).contains("rm -f /opt/ltx/lib/pytorch-native-cpu-").contains("! ls /opt/ltx/lib | grep -q");
        DockerStages.Stage libtorch = docker.stage("libtorch");
        String url = libtorch.all("ARG").stream().filter(a -> a.startsWith("LIBTORCH_URL=")).findFirst().orElseThrow();
        assertThat(url).contains("/cu128/").contains("cxx11-abi").contains("-" + torch + "%2Bcu128.zip");
        assertThat(String.join(" ", libtorch.all("RUN"))).contains("sha256sum -c").contains("libtorch_cuda.so");
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }
}
