package org.grad4j.data;

import java.nio.file.Path;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image files decoded one at a time as a pass reaches them: x {@code [h, w, c]}, y the class id or one-hot. */
final class ImageSource extends Dataset {
    private final List<Path> files;
    private final int[] classes;
    private final int classCount;
    private final ImageDecoder decoder;
    private final long[] shape;
    private final LabelMode labelMode;

    ImageSource(List<Path> files, int[] classes, int classCount, int height, int width, int channels, LabelMode labelMode) {
        this.files = List.copyOf(files);
        this.classes = classes.clone();
        this.classCount = classCount;
        this.decoder = new ImageDecoder(height, width, channels);
        this.shape = new long[] {height, width, channels};
        this.labelMode = labelMode;
    }

    @Override
    public Cursor iterator() {
        return new LookaheadCursor() {
            int i;

            @Override
            protected Element fetch() {
                if (i >= files.size()) {
                    return null;
                }
                int k = i++;
                INDArray x = Nd4j.create(decoder.decode(files.get(k)), shape, DataType.FLOAT);
                return new Element(x, label(classes[k]));
            }
        };
    }

    private INDArray label(int id) {
        if (labelMode == LabelMode.INT) {
            return Nd4j.scalar(DataType.FLOAT, id);
        }
        float[] hot = new float[classCount];
        hot[id] = 1;
        return Nd4j.create(hot, new long[] {classCount}, DataType.FLOAT);
    }

    @Override
    public long cardinality() {
        return files.size();
    }

    @Override
    public String toString() {
        return "images(" + files.size() + " files, " + shape[0] + "x" + shape[1] + "x" + shape[2] + ")";
    }
}
