package org.grad4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A Spark context on this machine for tests, quiet and bound to the loopback address, and RDD helpers. */
final class LocalSpark {
    private LocalSpark() {
    }

    /** {@code master} as Spark writes it: {@code local[2]}, or {@code local[2,4]} for up to 4 attempts per task. */
    static JavaSparkContext start(String master, String name) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new JavaSparkContext(conf);
    }

    /**
     * {@code x} and {@code y} cut into DataSets of {@code rowsPerDataSet} rows, in order, spread over {@code partitions}
     * partitions of consecutive DataSets (so partition p holds rows {@code [p N/P, (p+1) N/P)} when they divide).
     */
    static JavaRDD<DataSet> dataSets(JavaSparkContext sc, INDArray x, INDArray y, int rowsPerDataSet, int partitions) {
        List<DataSet> list = new ArrayList<>();
        for (long from = 0; from < x.size(0); from += rowsPerDataSet) {
            long to = Math.min(x.size(0), from + rowsPerDataSet);
            list.add(new DataSet(rows(x, from, to), rows(y, from, to)));
        }
        return sc.parallelize(list, partitions);
    }

    static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }
}
