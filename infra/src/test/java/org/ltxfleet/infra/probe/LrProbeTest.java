package org.ltxfleet.infra.probe;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.eval.Evaluation;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.preset.Encoders;
import org.ltxfleet.model.training.*;
import org.ltxfleet.model.transformer.*;
import org.ltxfleet.preprocess.archive.ArchiveInspector;
import org.ltxfleet.preprocess.archive.ArchiveLimits;
import org.ltxfleet.preprocess.dataset.DatasetPreparer;
import org.ltxfleet.preprocess.dataset.PreprocessSettings;
import org.ltxfleet.preprocess.dataset.Sample;

class LrProbeTest {
    @Test
    void probe() throws Exception {
        Path fx = Path.of("../../shared/fixtures/video");
        Path zip = org.ltxfleet.infra.demo.SampleClipGenerator.zipFlat(Files.createTempFile("fx", ".zip"), List.of(fx.resolve("vtest.avi"), fx.resolve("Megamind.avi")));
        var body = Json.object();
        body.put("training_data_url", "https://x.invalid/a.zip");
        body.put("number_of_frames", 89); body.put("resolution", "low"); body.put("aspect_ratio", "1:1"); body.put("trigger_phrase", "fx");
        var job = new InputValidator().validate(body);
        var samples = Collections.synchronizedList(new ArrayList<Sample>());
        try (var archive = ArchiveInspector.open(zip, ArchiveLimits.from(FleetConfig.empty()))) {
            new DatasetPreparer(PreprocessSettings.from(FleetConfig.empty())).prepare(archive, job, Files.createTempDirectory("p"), samples::add, s -> {});
        }
        samples.sort(java.util.Comparator.comparing(Sample::id));
        var enc = new ExampleEncoder(Encoders.of("tiny").vae(), Encoders.of("tiny").text());
        var examples = new ArrayList<TrainingExample>();
        for (Sample s : samples) {
            var f = s.window().frames();
            examples.add(enc.encode(new org.ltxfleet.model.vae.PixelVideo(f.get(0).height(), f.get(0).width(), f.stream().map(x -> x.rgb()).toArray(byte[][]::new)), s.caption(), false, 24));
        }
        System.out.println("PROBE windows " + examples.size() + " default lr " + job.learningRate());
        var eval = examples.subList(0, 4);
        for (String mode : List.of("att@2e-4", "att@1e-3", "att@3e-3", "ff@1e-3")) {
            try (NDManager m = NDManager.newBaseManager()) {
                double lr = Double.parseDouble(mode.split("@")[1]);
                var model = new VideoTransformer(TransformerConfig.tiny(), new LoraSpec(16, mode.startsWith("ff")));
                Weights.initialize(model, m, 1);
                Weights.load(model, List.of(Path.of("target/test-models/tiny-base-v2.safetensors")), m);
                model.freezeBase();
                double base = Evaluation.heldOutLoss(model, eval, m);
                var t = new LoraTrainer(model, examples, AdamW.defaults(m), new LearningRateSchedule(lr, 100), 5, m);
                for (int i = 0; i < 100; i++) t.step();
                double after = Evaluation.heldOutLoss(model, eval, m);
                System.out.printf("PROBE %s base %.4f lora %.4f ratio %.3f%n", mode, base, after, after / base);
            }
        }
    }
}
