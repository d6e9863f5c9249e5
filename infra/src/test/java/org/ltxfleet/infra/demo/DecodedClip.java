package org.ltxfleet.infra.demo;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/** What a clip decodes back to: stream properties as FFmpeg reports them plus per-frame checksums. */
record DecodedClip(
        String codecName,
        int width,
        int height,
        double frameRate,
        int pixelFormat,
        int reportedFrames,
        List<Long> frameChecksums) {

    /** Decodes every video frame of {@code video}. */
    static DecodedClip decode(Path video) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.start();
            AVCodecParameters params = videoStreamParams(grabber.getFormatContext());
            List<Long> checksums = new ArrayList<>();
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                checksums.add(checksum(frame));
            }
            return new DecodedClip(
                    grabber.getVideoCodecName(),
                    grabber.getImageWidth(),
                    grabber.getImageHeight(),
                    grabber.getVideoFrameRate(),
                    params.format(),
                    grabber.getLengthInVideoFrames(),
                    checksums);
        }
    }

    /** Decodes frame {@code index} of {@code video} as an image, for visual inspection. */
    static BufferedImage frameAt(Path video, int index) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            for (int i = 0; i < index; i++) {
                grabber.grabImage();
            }
            // Deep copy: the converter's image aliases the grabber's buffer, which dies with it.
            BufferedImage shared = converter.convert(grabber.grabImage());
            BufferedImage copy = new BufferedImage(shared.getWidth(), shared.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            copy.getGraphics().drawImage(shared, 0, 0, null);
            return copy;
        }
    }

    private static AVCodecParameters videoStreamParams(AVFormatContext format) {
        for (int i = 0; i < format.nb_streams(); i++) {
            AVCodecParameters params = format.streams(i).codecpar();
            if (params.codec_type() == AVMEDIA_TYPE_VIDEO) {
                return params;
            }
        }
        throw new IllegalStateException("no video stream");
    }

    private static long checksum(Frame frame) {
        ByteBuffer pixels = ((ByteBuffer) frame.image[0]).duplicate();
        pixels.rewind();
        CRC32 crc = new CRC32();
        crc.update(pixels);
        return crc.getValue();
    }
}
