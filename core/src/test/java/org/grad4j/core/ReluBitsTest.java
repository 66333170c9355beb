package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ReLU on floats' bits is the float ReLU bit for bit: every sign, zero, subnormal, infinity and NaN. */
class ReluBitsTest {
    /** The fused convolution reads its output's bits through this view: the same memory as the floats, offsets included. */
    @Test
    void theBitsViewIsTheFloatsMemory() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.JAVA, "-Dgrad4j.kernels=nd4j: no Java view of ND4J's memory");
        org.nd4j.linalg.api.ndarray.INDArray whole = org.nd4j.linalg.factory.Nd4j.create(
                new float[] {1.5f, -0.0f, Float.NaN, -2f, 3f, Float.NEGATIVE_INFINITY}, 2, 3);
        org.nd4j.linalg.api.ndarray.INDArray row = whole.getRow(1);   // an offset of 3 floats
        for (org.nd4j.linalg.api.ndarray.INDArray a : new org.nd4j.linalg.api.ndarray.INDArray[] {whole, row}) {
            java.nio.FloatBuffer floats = FloatLoops.floats(a);
            java.nio.IntBuffer bits = FloatLoops.bits(a);
            assertEquals(floats.limit(), bits.limit());
            for (int i = 0; i < floats.limit(); i++) {
                assertEquals(Float.floatToRawIntBits(floats.get(i)), bits.get(i), "element " + i);
            }
        }
        java.nio.IntBuffer bits = FloatLoops.bits(row);
        bits.put(0, Float.floatToRawIntBits(7f));
        assertEquals(7f, whole.getFloat(1, 0), "writes through the view reach the array");
    }

    @Test
    void equalsTheFloatReluOnEverySpecialValueAndAMillionRandomOnes() {
        int[] special = {0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x3f800000,
                0xbf800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7f800001, 0xff800001, 0x7fc00000,
                0xffc00000, 0x7fffffff, 0xffffffff, 0x40490fdb, 0xc0490fdb};
        SplittableRandom random = new SplittableRandom(11);
        int[] bits = new int[special.length + 1_000_000];
        System.arraycopy(special, 0, bits, 0, special.length);
        for (int i = special.length; i < bits.length; i++) {
            bits[i] = random.nextInt();
        }
        int[] relu = bits.clone();
        FloatLoops.reluBits(relu, relu.length);
        for (int i = 0; i < bits.length; i++) {
            int in = bits[i];
            int expected = Float.floatToRawIntBits(FloatLoops.relu(Float.intBitsToFloat(in)));
            if (expected != relu[i]) {
                assertEquals(expected, relu[i], "relu of bits 0x" + Integer.toHexString(in));
            }
        }
    }

    /** The backward mask on bits is {@code g * positiveMask(out)} bit for bit, NaN payloads and signaling NaNs included. */
    @Test
    void theMaskOnBitsEqualsTheFloatProductOnEveryPairOfSpecialValuesAndAMillionRandomOnes() {
        int[] special = {0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x3f800000,
                0xbf800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7f800001, 0xff800001, 0x7fc00000,
                0xffc00000, 0x7fffffff, 0xffffffff, 0x7fbfffff, 0x7fc00001, 0x40490fdb, 0xc0490fdb};
        int pairs = special.length * special.length;
        SplittableRandom random = new SplittableRandom(13);
        int[] g = new int[pairs + 1_000_000];
        int[] out = new int[g.length];
        for (int i = 0; i < pairs; i++) {
            g[i] = special[i / special.length];
            out[i] = special[i % special.length];
        }
        for (int i = pairs; i < g.length; i++) {
            g[i] = random.nextInt();
            out[i] = random.nextInt();
        }
        int[] masked = g.clone();
        FloatLoops.maskBits(masked, out, masked.length);
        for (int i = 0; i < g.length; i++) {
            float product = Float.intBitsToFloat(g[i]) * FloatLoops.positiveMask(Float.intBitsToFloat(out[i]));
            int expected = Float.floatToRawIntBits(product);
            if (expected != masked[i]) {
                assertEquals(Integer.toHexString(expected), Integer.toHexString(masked[i]),
                        "g 0x" + Integer.toHexString(g[i]) + " times the mask of 0x" + Integer.toHexString(out[i]));
            }
        }
    }
}
