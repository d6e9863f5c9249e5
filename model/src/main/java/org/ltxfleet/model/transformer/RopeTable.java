package org.ltxfleet.model.transformer;

/**
 * The cos/sin tables of LTX's "split" rotary embedding (docs/ltx-2.3-architecture.md §3). With
 * {@code F = innerDim / 6} frequencies ω_k = θ^(k/(F−1))·π/2, each token's angles are
 * ω_k·(2·p_a/max_a − 1) for its three axes, laid out frequency-major ([ω0·t, ω0·h, ω0·w, ω1·t, …]),
 * padded at the front with angle 0 up to innerDim/2 entries; head h uses entries [h·d/2, (h+1)·d/2)
 * and rotates the pairs (j, j + d/2) of its d dimensions. Frequencies are computed in double and
 * the angles in float32, as 2.3 does; the tables match the official ones to 6e-8
 * ({@code TransformerGoldenTest}).
 */
public final class RopeTable {

    private final int heads;
    private final int halfHeadDim;
    private final float[] cos;
    private final float[] sin;

    private RopeTable(int heads, int halfHeadDim, float[] cos, float[] sin) {
        this.heads = heads;
        this.halfHeadDim = halfHeadDim;
        this.cos = cos;
        this.sin = sin;
    }

    /**
     * Tables for {@code positions [tokens][axes]} in a model of {@code heads × headDim}, one bound per
     * axis in {@code maxPositions}: the video model has 3 axes (F = inner/6), LTX's text connectors 1
     * (F = inner/2, no padding).
     */
    public static RopeTable of(double[][] positions, int heads, int headDim, double theta, double[] maxPositions) {
        int half = heads * headDim / 2;
        int axes = maxPositions.length;
        int frequencies = heads * headDim / (2 * axes);
        int pad = half - axes * frequencies;
        // Frequencies in double, then float32, as 2.3 does (frequencies_precision float64); positions,
        // their scaling and the angles in float32 like the official code: at ω up to 10⁴·π/2 a float32
        // angle is off by up to 1e-3 rad from a double one, and the port must agree with the checkpoint.
        float[] omega = new float[frequencies];
        for (int k = 0; k < frequencies; k++) {
            double exponent = frequencies == 1 ? 0 : k / (double) (frequencies - 1);
            omega[k] = (float) (StrictMath.pow(theta, exponent) * Math.PI / 2);
        }
        float[] cos = new float[positions.length * half];
        float[] sin = new float[positions.length * half];
        for (int t = 0; t < positions.length; t++) {
            int row = t * half;
            for (int p = 0; p < pad; p++) {
                cos[row + p] = 1;
            }
            for (int axis = 0; axis < axes; axis++) {
                float scaled = (float) positions[t][axis] / (float) maxPositions[axis] * 2f - 1f;
                for (int k = 0; k < frequencies; k++) {
                    float angle = omega[k] * scaled;
                    int at = row + pad + axes * k + axis;
                    cos[at] = (float) StrictMath.cos(angle);
                    sin[at] = (float) StrictMath.sin(angle);
                }
            }
        }
        return new RopeTable(heads, headDim / 2, cos, sin);
    }

    /** cos values, {@code [tokens][heads][headDim/2]} flattened. */
    public float[] cos() {
        return cos;
    }

    /** sin values, same layout. */
    public float[] sin() {
        return sin;
    }

    /** Number of heads the table was made for. */
    public int heads() {
        return heads;
    }

    /** Half a head's dimension: the number of rotated pairs per head. */
    public int halfHeadDim() {
        return halfHeadDim;
    }

    /** Rotates one head's vector in place: pairs (j, j + d/2) by token {@code t}'s angles of head {@code h}. */
    public void rotate(float[] head, int t, int h) {
        int base = (t * heads + h) * halfHeadDim;
        for (int j = 0; j < halfHeadDim; j++) {
            float c = cos[base + j];
            float s = sin[base + j];
            float a = head[j];
            float b = head[j + halfHeadDim];
            head[j] = a * c - b * s;
            head[j + halfHeadDim] = b * c + a * s;
        }
    }
}
