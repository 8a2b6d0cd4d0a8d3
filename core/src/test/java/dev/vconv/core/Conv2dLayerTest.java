package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Conv2dLayerTest {

    @Test
    void initialisationIsUniformInPlusMinusOneOverSqrtFanIn() {
        ConvSpec spec = ConvSpec.builder(16, 32, 3).groups(2).build();
        Conv2dLayer layer = new Conv2dLayer(spec, 42, Engines.scalar());
        double bound = 1 / Math.sqrt(8 * 3 * 3);
        double max = 0;
        double sum = 0;
        for (float v : layer.weight().data()) {
            max = Math.max(max, Math.abs(v));
            sum += v;
        }
        assertTrue(max <= bound, "max |w| " + max + " > " + bound);
        assertTrue(max > 0.95 * bound, "max |w| " + max + " does not reach the bound " + bound);
        assertTrue(Math.abs(sum / layer.weight().size()) < 0.1 * bound, "mean far from 0");
        for (float v : layer.bias().data()) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertEquals(spec.weightShape(), layer.weight().shape());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        ConvSpec spec = ConvSpec.builder(3, 4, 3).build();
        assertArrayEquals(new Conv2dLayer(spec, 1).weight().data(), new Conv2dLayer(spec, 1).weight().data());
        assertNotEquals(new Conv2dLayer(spec, 1).weight().data()[0], new Conv2dLayer(spec, 2).weight().data()[0]);
    }

    @Test
    void noBiasLayerHasNone() {
        assertNull(new Conv2dLayer(ConvSpec.builder(3, 4, 3).bias(false).build(), 1).bias());
    }

    @Test
    void forwardEqualsTheReferenceAndFollowsWeightChanges() {
        ConvSpec spec = ConvSpec.builder(3, 4, 3).padding(1).stride(2).build();
        Conv2dLayer layer = new Conv2dLayer(spec, 9);
        Tensor x = Tensor.random(10, 2, 3, 9, 7);

        ConvAsserts.assertClose(spec, x.shape(), Engines.reference().forward(spec, x, layer.weight(), layer.bias()), layer.forward(x));

        layer.weight().data()[0] += 1f;
        layer.weightsChanged();
        ConvAsserts.assertClose(spec, x.shape(), Engines.reference().forward(spec, x, layer.weight(), layer.bias()), layer.forward(x));

        Tensor other = Tensor.random(11, 1, 3, 5, 5);
        ConvAsserts.assertClose(spec, other.shape(), Engines.reference().forward(spec, other, layer.weight(), layer.bias()),
                layer.forward(other));
    }

    /**
     * PyTorch raises "one of the variables needed for gradient computation has been modified by an inplace operation"
     * when the input or the weight changed between forward and backward; so does the layer, instead of silently
     * differentiating at values forward never saw.
     */
    @Test
    void backwardRefusesAnInputOrWeightChangedInPlaceSinceForward() {
        ConvSpec spec = ConvSpec.builder(2, 3, 3).padding(1).build();
        Conv2dLayer layer = new Conv2dLayer(spec, 4, Engines.scalar());
        Tensor x = Tensor.random(5, 1, 2, 6, 6);
        Tensor gy = Tensor.random(6, 1, 3, 6, 6);
        layer.forward(x);
        ConvGradients before = layer.backward(gy);
        float original = x.data()[7];
        x.data()[7] = original + 0.5f;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer.backward(gy));
        assertTrue(e.getMessage().contains("input of the last forward call was changed in place"), e.getMessage());
        assertTrue(e.getMessage().contains("call forward again"), e.getMessage());
        x.data()[7] = original;                                   // the same values again: backward is fine
        assertArrayEquals(before.weight().data(), layer.backward(gy).weight().data());

        layer.forward(x);
        layer.sgdStep(before, 0.1f);                              // the weight changes between forward and backward
        IllegalStateException w = assertThrows(IllegalStateException.class, () -> layer.backward(gy));
        assertTrue(w.getMessage().contains("weight"), w.getMessage());
        layer.forward(x);
        layer.backward(gy);
    }
}
