package dev.vconv.core.net;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every rule of building, planning and running a network has a message that names the layer, the value and the rule. */
class NetworkBadInputTest {

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static final ConvSpec C3 = ConvSpec.builder(3, 4, 3).padding(1).bias(false).build();

    private static Tensor w(ConvSpec spec) {
        return Tensor.random(1, spec.weightShape().dims());
    }

    @Test
    void convChannelsMustMatchItsInput() {
        Network.Builder b = Network.builder("n", 2);
        assertEquals("conv 'c' has in_channels=3 but its input value 0 (2 channels) has 2 channels",
                message(() -> b.conv("c", b.input(), C3, w(C3), null, null, Activation.relu())));
    }

    @Test
    void weightShapeIsTheSpecs() {
        Network.Builder b = Network.builder("n", 3);
        String m = message(() -> b.conv("c", b.input(), C3, Tensor.zeros(4, 3, 1, 1), null, null, Activation.relu()));
        assertEquals(true, m.contains("[4, 3, 3, 3]") && m.contains("[4, 3, 1, 1]"), m);
    }

    @Test
    void batchNormSizeIsTheOutputChannels() {
        Network.Builder b = Network.builder("n", 3);
        BatchNorm2d bn = BatchNorm2d.of(Tensor.zeros(5), Tensor.zeros(5), Tensor.zeros(5), Tensor.of(new float[] {1, 1, 1, 1, 1}, 5), 1e-5);
        assertEquals("conv 'c': its BatchNorm has num_features=5 but the convolution has out_channels=4",
                message(() -> b.conv("c", b.input(), C3, w(C3), null, bn, Activation.relu())));
    }

    @Test
    void residualChannelsAreTheOutputChannels() {
        Network.Builder b = Network.builder("n", 3);
        assertEquals("conv 'c' has out_channels=4 but its residual value 0 (3 channels) has 3 channels",
                message(() -> b.conv("c", b.input(), C3, w(C3), null, null, b.input(), Activation.relu())));
    }

    @Test
    void residualSpatialSizeIsCheckedWhenPlanned() {
        Network.Builder b = Network.builder("n", 4);
        ConvSpec s2 = ConvSpec.builder(4, 4, 3).stride(2).padding(1).bias(false).build();
        Network net = b.build(b.conv("down", b.input(), s2, w(s2), null, null, b.input(), Activation.relu()));
        assertEquals("network 'n' on input of size [1, 4, 8, 8]: layer 'down' adds a residual of size [1, 4, 8, 8] to its "
                + "output of size [1, 4, 4, 4]: they must be equal", message(() -> net.plan(Engines.scalar(), Shape.of(1, 4, 8, 8))));
    }

    @Test
    void namesAreUnique() {
        Network.Builder b = Network.builder("n", 3);
        Network.Value x = b.maxPool("p", b.input(), 2, 2, 0);
        assertEquals("layer names must be unique and non-empty, but got 'p' again in network 'n'",
                message(() -> b.maxPool("p", x, 2, 2, 0)));
        assertEquals("layer names must be unique and non-empty, but got '' again in network 'n'",
                message(() -> b.maxPool("", x, 2, 2, 0)));
    }

    @Test
    void valuesBelongToTheirBuilder() {
        Network.Builder a = Network.builder("a", 3);
        Network.Builder b = Network.builder("b", 3);
        assertEquals("'p': its input value 0 (3 channels) belongs to another network's builder",
                message(() -> b.maxPool("p", a.input(), 2, 2, 0)));
    }

    @Test
    void maxPoolParameters() {
        Network.Builder b = Network.builder("n", 3);
        assertEquals("max pool 'p': padding must be between 0 and half the kernel (1), but got padding=2",
                message(() -> b.maxPool("p", b.input(), 3, 2, 2)));
        assertEquals("max pool 'p': kernel and stride must be at least 1, but got kernel=3, stride=0",
                message(() -> b.maxPool("p", b.input(), 3, 0, 1)));
    }

    @Test
    void linearNeedsAFlatInputOfItsSize() {
        Network.Builder b = Network.builder("n", 3);
        assertEquals("linear 'fc' takes [n, features] input: flatten value 0 (3 channels) first",
                message(() -> b.linear("fc", b.input(), Tensor.zeros(2, 3), null)));
        Network.Value flat = b.flatten("flat", b.globalAvgPool("gap", b.input()));
        Network wide = b.build(b.linear("fc", flat, Tensor.zeros(2, 4), null));
        assertEquals("network 'n' on input of size [1, 3, 5, 5]: layer 'fc' cannot take its input of size [1, 3]: linear 'fc' "
                + "has in_features=4 but its input of size [1, 3] has 3 features", message(() -> wide.plan(Engines.scalar(), Shape.of(1, 3, 5, 5))));
        Network.Builder c = Network.builder("n", 3);
        assertEquals("linear 'fc': bias must have size [2], but got size [3]",
                message(() -> c.linear("fc", c.flatten("f", c.input()), Tensor.zeros(2, 75), Tensor.zeros(3))));
    }

    @Test
    void flattenedValuesAreNotImages() {
        Network.Builder b = Network.builder("n", 3);
        Network.Value flat = b.flatten("flat", b.input());
        assertEquals("'p' takes an image [n, c, h, w] as input, but value 1 (flattened) is flattened",
                message(() -> b.maxPool("p", flat, 2, 2, 0)));
    }

    @Test
    void inputShapeIsChecked() {
        Network net = NetworkPlanTest.small(1);
        assertEquals("network 'small' takes input of size [n, 3, h, w] with n, h and w at least 1, but got input of size [3, 16, 16]",
                message(() -> net.plan(Engines.scalar(), Shape.of(3, 16, 16))));
        assertEquals("network 'small' takes input of size [n, 3, h, w] with n, h and w at least 1, but got input of size [1, 4, 16, 16]",
                message(() -> net.plan(Engines.scalar(), Shape.of(1, 4, 16, 16))));
        assertEquals("network 'small' takes input of size [n, 3, h, w] with n, h and w at least 1, but got input of size [0, 3, 16, 16]",
                message(() -> net.plan(Engines.scalar(), Shape.of(0, 3, 16, 16))));
        assertThrows(NullPointerException.class, () -> net.plan(null, Shape.of(1, 3, 16, 16)));
        assertThrows(NullPointerException.class, () -> net.plan(Engines.scalar(), null));
    }

    @Test
    void tooSmallAnInputNamesTheLayer() {
        Network net = NetworkPlanTest.small(1);
        String m = message(() -> net.plan(Engines.scalar(), Shape.of(1, 3, 2, 2)));
        assertEquals("network 'small' on input of size [1, 3, 2, 2]: layer 'pool2' cannot take its input of size [1, 8, 1, 1]: "
                + "max pool 'pool2': given input size [1, 8, 1, 1], calculated output size (0 x 0) is too small (kernel 2, "
                + "stride 2, padding 0)", m);
    }

    @Test
    void forwardChecksItsTensors() {
        Network net = NetworkPlanTest.small(1);
        NetworkPlan plan = net.plan(Engines.scalar(), Shape.of(1, 3, 16, 16));
        Tensor out = Tensor.zeros(plan.outputShape());
        assertEquals("this plan of network 'small' was made for input of size [1, 3, 16, 16], but got input of size "
                + "[1, 3, 16, 17]: make a plan for each input size", message(() -> plan.forward(Tensor.zeros(1, 3, 16, 17), out)));
        assertEquals("output must have size [1, 5] for input of size [1, 3, 16, 16], but got output of size [5]",
                message(() -> plan.forward(Tensor.zeros(1, 3, 16, 16), Tensor.zeros(5))));
        assertEquals("nanos must have one entry per step (9), but has 2",
                message(() -> plan.forward(Tensor.zeros(1, 3, 16, 16), out, new long[2])));
        assertEquals("limit must be positive, but got limit=PT0S", message(() -> plan.warmUp(java.time.Duration.ZERO)));
        assertThrows(NullPointerException.class, () -> plan.forward(null, out));
        assertThrows(NullPointerException.class, () -> plan.forward(Tensor.zeros(1, 3, 16, 16), null));
    }

    @Test
    void aBuiltBuilderIsDone() {
        Network.Builder b = Network.builder("n", 3);
        Network.Value x = b.maxPool("p", b.input(), 2, 2, 0);
        b.build(x);
        assertThrows(IllegalStateException.class, () -> b.maxPool("q", x, 2, 2, 0));
        assertEquals("network 'n' has no layers", message(() -> {
            Network.Builder e = Network.builder("n", 3);
            e.build(e.input());
        }));
    }
}
