package org.grad4j.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * What distinguishes MNIST from Fashion-MNIST: a name (the cache folder's), where the four IDX files are
 * published with their SHA-256 sums, an optional system folder (a distribution package), and the class names.
 */
record MnistFamily(String name, URI baseUrl, List<RemoteFile> files, Path systemFolder, List<String> classNames) {

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    /**
     * Zalando's Fashion-MNIST, from the URLs its README links. The SHA-256 sums are those of the upstream .gz
     * files (whose MD5 sums the README publishes); see the data section of grad4j's README for how they were
     * checked. Debian's {@code dataset-fashion-mnist} package installs the same images and labels, recompressed.
     */
    static final MnistFamily FASHION_MNIST = new MnistFamily("fashion-mnist",
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            List.of(new RemoteFile(TRAIN_IMAGES, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26_421_880),
                    new RemoteFile(TRAIN_LABELS, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29_515),
                    new RemoteFile(TEST_IMAGES, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4_422_102),
                    new RemoteFile(TEST_LABELS, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5_148)),
            Path.of("/usr/share/datasets/fashion-mnist"),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"));

    /**
     * LeCun, Cortes and Burges' MNIST. yann.lecun.com no longer serves the files reliably, so the URL is the
     * mirror PyTorch's torchvision downloads from. The SHA-256 sums are the ones several independent projects
     * publish for the original .gz files; they were not checked against the files on the machine that wrote this.
     */
    static final MnistFamily MNIST = new MnistFamily("mnist",
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            List.of(new RemoteFile(TRAIN_IMAGES, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422),
                    new RemoteFile(TRAIN_LABELS, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881),
                    new RemoteFile(TEST_IMAGES, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877),
                    new RemoteFile(TEST_LABELS, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542)),
            null,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

    /** The same dataset published elsewhere (tests: a local server and their own files and system folder). */
    MnistFamily withSource(URI url, List<RemoteFile> replacementFiles, Path replacementSystemFolder) {
        return new MnistFamily(name, url, replacementFiles, replacementSystemFolder, classNames);
    }
}
