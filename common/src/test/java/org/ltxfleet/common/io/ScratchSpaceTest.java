package org.ltxfleet.common.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchSpaceTest {

    @TempDir
    Path tmp;

    @Test
    void aDeadWorkersSpaceIsSweptALiveOnesIsKept() throws Exception {
        // What a worker killed mid-job leaves: its space with a job's files and an unheld lock file.
        Path dead = Files.createDirectories(tmp.resolve("ltx-train-dead123"));
        Files.writeString(dead.resolve(".lock"), "");
        Files.createDirectories(dead.resolve("job-1")).resolve("checkpoint.safetensors").toFile().createNewFile();
        Path otherStage = Files.createDirectories(tmp.resolve("ltx-preprocess-dead456"));

        try (var alive = ScratchSpace.open(tmp, "train")) {
            assertThat(alive.swept()).isEqualTo(1);
            assertThat(dead).doesNotExist();
            assertThat(otherStage).as("another stage's spaces are that stage's to sweep").exists();
            Path job = alive.jobDirectory("req-1");
            assertThat(job).startsWith(alive.root()).isDirectory();

            try (var second = ScratchSpace.open(tmp, "train")) {
                assertThat(second.swept()).as("the first worker's space is in use").isZero();
                assertThat(alive.root()).exists();
            }
        }
        try (var list = Files.list(tmp)) {
            assertThat(list).as("closed spaces are gone").containsExactly(otherStage);
        }
    }

    @Test
    void aWorkerStartingBesideAnotherInItsJvmLeavesItsLockToOtherProcesses() throws Exception {
        // Closing any channel of a file drops every lock the process holds on it (POSIX): a sweep
        // that opened a live neighbour's lock file to test it would free that space for a worker
        // of another process to delete under its running job.
        try (var first = ScratchSpace.open(tmp, "preprocess");
             var second = ScratchSpace.open(tmp, "preprocess")) {
            assertThat(second.swept()).isZero();
            Process other = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), OtherWorker.class.getName(), tmp.toString())
                    .inheritIO().start();
            assertThat(other.waitFor()).isZero();
            assertThat(first.root()).as("the first worker's space, in use").isDirectory();
            assertThat(second.root()).isDirectory();
        }
    }

    /** A worker of another process starting on the same machine. */
    public static final class OtherWorker {
        public static void main(String[] args) throws Exception {
            try (var space = ScratchSpace.open(java.nio.file.Path.of(args[0]), "preprocess")) {
                System.out.println("the other process swept " + space.swept() + " space(s)");
            }
        }
    }
}
