package org.ltxfleet.infra.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.eval.ContactSheet;
import org.ltxfleet.infra.eval.EvalRun;
import org.ltxfleet.model.preset.Preset;
import org.ltxfleet.model.preset.TinyPreset;
import org.ltxfleet.model.transformer.KeyframeLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fleet eval}: a LoRA against its base on held-out draws and real in-between frames. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a LoRA on a zip of clips: held-out flow-matching loss of base and LoRA, and PSNR of "
                + "keyframe-conditioned interpolation against the real in-between frames beside a cross-fade. "
                + "Last line: RESULT {json} with lora_db, base_db and crossfade_db.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--lora", required = true, description = "the LoRA .safetensors file")
    Path lora;

    @Option(names = "--data", required = true, description = "a zip of clips (with optional captions), as for a job")
    Path data;

    @Option(names = "--preset", description = "model preset (default: ${DEFAULT-VALUE})")
    String preset = TinyPreset.NAME;

    @Option(names = "--weights", split = ",", description = "checkpoint shards of a real preset (ltx-2.3)")
    List<Path> weights = List.of();

    @Option(names = "--text-encoder", description = "ltx-2.3's Gemma-3 directory (config.json, safetensors, tokenizer.json)")
    Path textEncoder;

    @Option(names = "--frames", description = "window length in frames (default: ${DEFAULT-VALUE})")
    int frames = 89;

    @Option(names = "--resolution", description = "low, medium or high (default: ${DEFAULT-VALUE})")
    String resolution = "low";

    @Option(names = "--aspect-ratio", description = "16:9, 1:1 or 9:16 (default: ${DEFAULT-VALUE})")
    String aspectRatio = "1:1";

    @Option(names = "--frame-rate", description = "frames per second (default: ${DEFAULT-VALUE})")
    int frameRate = 24;

    @Option(names = "--max-windows", description = "most windows evaluated (default: ${DEFAULT-VALUE})")
    int maxWindows = 8;

    @Option(names = "--keyframes", description = "how sampling lays out the keyframes: appended (LTX's "
            + "keyframe-interpolation pipeline), first-in-place (image-to-video graphs) or ends-in-place (first and "
            + "last in place) (default: the preset's reel layout; tiny: ends-in-place, ltx-2.3: appended)")
    String keyframes;

    @Option(names = "--data-dir", description = "stack data directory holding models/ (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(".fleet");

    @Option(names = "--contact-sheet", description = "also write a PNG of the first window: the real frames, "
            + "base + LoRA's and the base's, keyframes in the first and last columns")
    Path contactSheet;

    @Override
    public Integer call() throws Exception {
        var input = new LinkedHashMap<String, Object>();
        input.put("number_of_frames", frames);
        input.put("resolution", resolution);
        input.put("aspect_ratio", aspectRatio);
        input.put("frame_rate", frameRate);
        Preset chosen = Preset.named(preset, new Preset.Sources(dataDir.resolve("models"), weights, textEncoder));
        KeyframeLayout layout = keyframes == null ? chosen.previewLayout() : KeyframeLayout.of(keyframes);
        var outcome = new EvalRun(chosen, maxWindows, layout).run(lora, data, input, Console::step);
        if (contactSheet != null) {
            ContactSheet.write(List.of(outcome.truth(), outcome.lora(), outcome.base()), ContactSheet.COLUMNS,
                    ContactSheet.CELL, contactSheet);
            Console.step("contact sheet (real, base + LoRA, base): " + contactSheet.toAbsolutePath());
        }
        System.out.println("RESULT " + Json.toString(outcome.figures()));
        return 0;
    }
}
