package org.ltxfleet.preprocess.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.job.ValidationSample;
import org.ltxfleet.preprocess.download.Fetcher;
import org.ltxfleet.preprocess.video.ClipDecoder;
import org.ltxfleet.preprocess.video.DecodeLimits;
import org.ltxfleet.preprocess.video.UndecodableClipException;
import org.ltxfleet.preprocess.video.VideoFrame;

/**
 * The keyframe images of the job's validation entries, downloaded (same SSRF guard and limits as
 * the dataset), decoded and fitted to the validation bucket, ready to be encoded as keyframe
 * latents. A bad image fails the job with a 422 naming its field, e.g. {@code validation.0.end_image_url}.
 */
public final class ValidationKeyframes {

    /** One validation entry's prompt and fitted keyframes; {@code middle} is null without a middle keyframe. */
    public record Entry(String prompt, VideoFrame start, VideoFrame middle, VideoFrame end) {
    }

    private ValidationKeyframes() {
    }

    /** Fetches and fits every entry's images. */
    public static List<Entry> prepare(TrainingInput input, Fetcher fetcher, DecodeLimits limits, Path workDir)
            throws IOException, InterruptedException {
        var entries = new ArrayList<Entry>();
        List<ValidationSample> samples = input.validation();
        for (int i = 0; i < samples.size(); i++) {
            ValidationSample sample = samples.get(i);
            VideoFrame start = fetch(i, "start_image_url", sample.startImageUrl(), input, fetcher, limits, workDir);
            VideoFrame end = fetch(i, "end_image_url", sample.endImageUrl(), input, fetcher, limits, workDir);
            VideoFrame middle = input.includeMiddleKeyframe()
                    ? fetch(i, "middle_image_url", sample.middleImageUrl(), input, fetcher, limits, workDir) : null;
            entries.add(new Entry(sample.prompt(), start, middle, end));
        }
        return entries;
    }

    private static VideoFrame fetch(int index, String field, String url, TrainingInput input, Fetcher fetcher,
                                    DecodeLimits limits, Path workDir) throws IOException, InterruptedException {
        String name = "validation." + index + "." + field;
        Path file;
        try {
            file = fetcher.download(url, workDir.resolve(name), name).path();
        } catch (JobFailedException e) {
            throw JobFailedException.invalidAt(List.of("validation", index, field), e.errorType(), e.getMessage());
        }
        try {
            return ClipDecoder.decodeStill(file, input.validationBucket(), limits);
        } catch (UndecodableClipException e) {
            throw JobFailedException.invalidAt(List.of("validation", index, field), "invalid_image",
                    "The image at " + name + " could not be decoded: " + e.reason());
        }
    }
}
