"""``MixtureSameFamily``: a mixture of k components of one family, weighted by a Categorical (a Gaussian
mixture model is ``MixtureSameFamily(Categorical(w), Normal(mu, sigma))``)."""
from ..api import Size
from ..autograd import no_grad
from ..errors import ShapeError
from ..nn.functional import log_softmax
from ..numerics import broadcast_shapes
from .categorical import Categorical
from .distribution import Distribution

__all__ = ["MixtureSameFamily"]


class MixtureSameFamily(Distribution):
    """``p(x) = sum_i w_i p_i(x)``: the components' batch dim -1 (size k) is the mixture's index.

    ``log_prob`` is ``logsumexp_i(log w_i + log p_i(x))``; ``sample`` draws an index, then that component.

    >>> import minitorch
    >>> from minitorch.distributions import Categorical, MixtureSameFamily, Normal
    >>> gmm = MixtureSameFamily(Categorical(minitorch.ones(2)), Normal(minitorch.tensor([-1.0, 1.0]), 1.0))
    >>> gmm.mean.item(), round(gmm.variance.item(), 4)
    (0.0, 2.0)
    """

    arg_constraints = {}
    has_rsample = False

    def __init__(self, mixture_distribution, component_distribution, validate_args=None):
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError(f"MixtureSameFamily: the mixture distribution needs to be an instance of "
                             f"minitorch.distributions.Categorical, got {type(mixture_distribution).__name__}.")
        if not isinstance(component_distribution, Distribution):
            raise ValueError(f"MixtureSameFamily: the component distribution needs to be an instance of "
                             f"minitorch.distributions.Distribution, got {type(component_distribution).__name__}.")
        mix_batch, comp_batch = mixture_distribution.batch_shape, component_distribution.batch_shape
        if len(comp_batch) < 1 or not _compatible(mix_batch, comp_batch[:-1]):
            raise ValueError(f"MixtureSameFamily: `mixture_distribution.batch_shape` ({mix_batch}) is not compatible "
                             f"with `component_distribution.batch_shape` ({comp_batch}) without its last dim.")
        k = mixture_distribution.logits.shape[-1]
        if k != comp_batch[-1]:
            raise ValueError(f"MixtureSameFamily: `mixture_distribution component` ({k}) does not equal "
                             f"`component_distribution.batch_shape[-1]` ({comp_batch[-1]}).")
        self.mixture_distribution = mixture_distribution
        self.component_distribution = component_distribution
        self._event_ndims = len(component_distribution.event_shape)
        super().__init__(comp_batch[:-1], component_distribution.event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        batch_shape = Size(batch_shape)
        new.mixture_distribution = self.mixture_distribution.expand(batch_shape)
        new.component_distribution = self.component_distribution.expand(
            tuple(batch_shape) + (self.component_distribution.batch_shape[-1],))
        new._event_ndims = self._event_ndims
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def support(self):
        """The components' support."""
        return self.component_distribution.support

    def _pad(self, x):
        """``x`` with a dim of size 1 where the components' index is (left of the event dims)."""
        return x.unsqueeze(-1 - self._event_ndims)

    def _weights(self):
        """The mixture weights, with trailing dims of size 1 to broadcast against the components' events."""
        probs = self.mixture_distribution.probs
        return probs.reshape(tuple(probs.shape) + (1,) * self._event_ndims)

    @property
    def mean(self):
        """``sum_i w_i mean_i``."""
        return (self._weights() * self.component_distribution.mean).sum(-1 - self._event_ndims)

    @property
    def variance(self):
        """The law of total variance: ``sum_i w_i var_i + sum_i w_i (mean_i - mean)^2``."""
        dim = -1 - self._event_ndims
        comp = self.component_distribution
        within = (self._weights() * comp.variance).sum(dim)
        between = (self._weights() * (comp.mean - self._pad(self.mean)) ** 2).sum(dim)
        return within + between

    def cdf(self, x):
        """``sum_i w_i cdf_i(x)``."""
        return (self.component_distribution.cdf(self._pad(x)) * self.mixture_distribution.probs).sum(-1)

    def log_prob(self, x):
        if self._validate_args:
            self._validate_sample(x)
        log_prob_x = self.component_distribution.log_prob(self._pad(x))
        log_weights = log_softmax(self.mixture_distribution.logits, dim=-1)
        return (log_prob_x + log_weights).logsumexp(-1)

    def sample(self, sample_shape=Size()):
        """A component index per draw (from the mixture), then that component's draw (no gradient)."""
        with no_grad():
            gather_dim = len(Size(sample_shape)) + len(self._batch_shape)
            index = self.mixture_distribution.sample(sample_shape)
            draws = self.component_distribution.sample(sample_shape)  # sample + batch + (k,) + event
            index = index.reshape(tuple(index.shape) + (1,) * (self._event_ndims + 1))
            index = index.expand(tuple(index.shape[:gather_dim + 1]) + tuple(self._event_shape))
            return draws.gather(gather_dim, index).squeeze(gather_dim)

    def __repr__(self):
        return f"{type(self).__name__}(\n  {self.mixture_distribution!r},\n  {self.component_distribution!r})"


def _compatible(shape_a, shape_b):
    """Whether two batch shapes broadcast (size 1 against any size)."""
    try:
        broadcast_shapes(shape_a, shape_b)
    except ShapeError:
        return False
    return True
