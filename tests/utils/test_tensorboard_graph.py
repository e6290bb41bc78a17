"""``SummaryWriter.add_graph``: the GraphDef read back with the wire-format decoder, and with
tensorboard's EventAccumulator where installed, against the graph PyTorch's writer logs for the
same model (the same module scopes, inputs and outputs; the op nodes are minitorch's)."""
import glob
import importlib.util
import os

import pytest

import minitorch
from minitorch.autograd import Op
from minitorch.utils.tensorboard import SummaryWriter, graph, proto, record


def _model(lib):
    """A two-level model: Net(block=Block(fc, act), out), as PyTorch users write one."""
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc, self.act = nn.Linear(4, 3), nn.ReLU()

        def forward(self, x):
            return self.act(self.fc(x)) * 2

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.block, self.out = Block(), nn.Linear(3, 2)

        def forward(self, x):
            return self.out(self.block(x)).sum(dim=1)

    return Net()


def _nodes(node_defs):
    """name -> (op, inputs, output shape or None, attr text) of each serialized NodeDef."""
    nodes = {}
    for raw in node_defs:
        fields = proto.parse(raw)
        attrs = {}
        for entry in fields.get(5, []):
            entry = proto.parse(entry)
            attrs[entry[1][0].decode()] = proto.parse(entry[2][0])
        shape = None
        if "_output_shapes" in attrs:
            dims = proto.parse(proto.parse(attrs["_output_shapes"][1][0])[7][0]).get(2, [])
            shape = tuple(proto.parse(dim).get(1, [0])[0] for dim in dims)
        nodes[fields[1][0].decode()] = (fields[2][0].decode(), [i.decode() for i in fields.get(3, [])],
                                        shape, attrs["attr"][2][0].decode())
    return nodes


def _graph_of(log_dir):
    """The nodes of the GraphDef in ``log_dir``'s event file and the run metadata's device."""
    (path,) = glob.glob(os.path.join(log_dir, "events.out.tfevents.*"))
    with open(path, "rb") as file:
        events = [proto.parse(data) for data in record.unframe(file.read())]
    (graph_event,) = [e for e in events if 4 in e]
    (metadata,) = [proto.parse(e[8][0]) for e in events if 8 in e]
    assert 2 not in graph_event and metadata[1][0] == b"step1"
    device = proto.parse(proto.parse(proto.parse(metadata[2][0])[1][0])[1][0])[1][0].decode()
    graph_def = proto.parse(graph_event[4][0])
    assert proto.parse(graph_def[4][0]) == {1: [22]}
    return _nodes(graph_def[1]), device


def test_the_graph_has_the_module_scopes_inputs_outputs_and_shapes(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(_model(minitorch), minitorch.randn(5, 4))
    nodes, device = _graph_of(tmp_path)
    assert device == "/device:CPU:0"
    assert nodes["input/x"] == ("IO Node", [], (5, 4), "")
    assert nodes["Net/Block[block]/Linear[fc]/weight"] == ("prim::GetAttr", [], (3, 4), "{ name :  weight }")
    assert nodes["Net/Block[block]/Linear[fc]/0"] == (
        "minitorch::Linear", ["input/x", "Net/Block[block]/Linear[fc]/weight", "Net/Block[block]/Linear[fc]/bias"],
        (5, 3), "{}")
    assert nodes["Net/Block[block]/ReLU[act]/1"][:3] == ("minitorch::ReLU", ["Net/Block[block]/Linear[fc]/0"], (5, 3))
    assert nodes["Net/Block[block]/2"] == ("minitorch::Mul", ["Net/Block[block]/ReLU[act]/1"], (5, 3), "{ arg1 : 2}")
    assert nodes["Net/4"] == ("minitorch::Sum", ["Net/Linear[out]/3"], (5,), "{ arg1 : (1,),  arg2 : False}")
    assert nodes["output/output.1"] == ("IO Node", ["Net/4"], (5,), "")
    # every input names a node of the graph
    assert all(source in nodes for _, inputs, _, _ in nodes.values() for source in inputs)


def _scopes(nodes):
    """The scopes of a graph's op nodes (not parameters: PyTorch's are ``<module>/<name>/<name>``),
    and its IO nodes with their shapes."""
    scopes = {name.rpartition("/")[0] for name, (op, *_) in nodes.items() if op not in ("IO Node", "prim::GetAttr")}
    io = {name: shape for name, (op, _, shape, _) in nodes.items() if op == "IO Node"}
    return scopes, io


def test_tensorboard_reads_it_with_pytorchs_module_hierarchy(tmp_path):
    torch = pytest.importorskip("torch")
    if importlib.util.find_spec("tensorboard") is None:
        pytest.skip("needs the tensorboard package: pip install tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    with SummaryWriter(tmp_path / "ours") as ours, TorchWriter(str(tmp_path / "theirs")) as theirs:
        ours.add_graph(_model(minitorch), minitorch.randn(5, 4))
        theirs.add_graph(_model(torch), torch.randn(5, 4))
    read = {}
    for run in ("ours", "theirs"):
        accumulator = EventAccumulator(str(tmp_path / run))
        accumulator.Reload()
        assert accumulator.Tags()["graph"] and accumulator.Tags()["run_metadata"] == ["step1"]
        assert str(accumulator.RunMetadata("step1")) == 'step_stats {\n  dev_stats {\n    device: "/device:CPU:0"\n  }\n}\n'
        graph_def = accumulator.Graph()
        read[run] = _scopes({node.name: (node.op, list(node.input),
                                         tuple(d.size for d in node.attr["_output_shapes"].list.shape[0].dim)
                                         if "_output_shapes" in node.attr else None, node.attr["attr"].s)
                             for node in graph_def.node})
    assert read["ours"] == read["theirs"]
    assert read["ours"][0] == {"Net", "Net/Block[block]", "Net/Block[block]/Linear[fc]",
                               "Net/Block[block]/ReLU[act]", "Net/Linear[out]"}


class Pair(minitorch.nn.Module):
    """Two arguments in, a tuple and a dict out, a constant made in forward, a ModuleList."""

    def __init__(self):
        super().__init__()
        self.layers = minitorch.nn.ModuleList([minitorch.nn.Linear(2, 2), minitorch.nn.Tanh()])

    def forward(self, a, b):
        h = self.layers[1](self.layers[0](a)) + minitorch.ones(2)
        return h, {"b": b.t()}


def test_several_inputs_and_outputs_containers_and_constants(tmp_path, capsys):
    model = Pair()
    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(model, (minitorch.zeros(3, 2), minitorch.zeros(2, 5)), verbose=True)
    nodes, _ = _graph_of(tmp_path)
    assert {name for name, (op, *_) in nodes.items() if op == "IO Node"} == {
        "input/a", "input/b", "output/output.1", "output/output.2"}
    assert nodes["output/output.2"][2] == (5, 2)
    assert "Pair/ModuleList[layers]/Linear[0]/weight" in nodes
    assert "Pair/ModuleList[layers]/Tanh[1]/1" in nodes
    (constant,) = [(name, node) for name, node in nodes.items() if node[0] == "prim::Constant"]
    assert constant[0].startswith("Pair/") and constant[1][2] == (2,)
    assert "input/a = IO Node() [3, 2]" in capsys.readouterr().out


def test_a_function_and_a_list_argument(tmp_path):
    def double_first(xs):
        return xs[0] * 2

    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(double_first, [minitorch.ones(3)])
    nodes, _ = _graph_of(tmp_path)
    assert nodes["double_first/0"][:2] == ("minitorch::Mul", ["input/xs.0"])


def test_the_model_is_left_as_it_was_even_when_forward_fails(tmp_path):
    model = _model(minitorch)
    apply = Op.__dict__["apply"]
    with SummaryWriter(tmp_path) as writer:
        with pytest.raises(Exception):
            writer.add_graph(model, minitorch.zeros(5, 7))  # the wrong width
        assert model.training and Op.__dict__["apply"] is apply
        assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
        writer.add_graph(model, minitorch.zeros(5, 4))
    assert model.training and _graph_of(tmp_path)[0]["output/output.1"][2] == (5,)


def test_on_cuda_the_device_is_a_gpu(tmp_path):
    model = _model(minitorch).to("cuda")
    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(model, minitorch.zeros(5, 4, device="cuda"))
    assert _graph_of(tmp_path)[1] == "/device:GPU:0"


@pytest.mark.parametrize("call, error, message", [
    (lambda w: w.add_graph(3, minitorch.zeros(1)), TypeError, "add_graph: model must be an nn.Module"),
    (lambda w: w.add_graph(minitorch.nn.Tanh(), minitorch.zeros(1), verbose="yes"), TypeError,
     "add_graph: verbose must be True or False"),
])
def test_bad_arguments(tmp_path, call, error, message):
    with SummaryWriter(tmp_path) as writer, pytest.raises(error, match=message):
        call(writer)


def test_the_node_def_encoding():
    node = proto.parse(graph.node_def("a/b", "IO Node", ["c"], (2,), ""))
    assert node[1] == [b"a/b"] and node[2] == [b"IO Node"] and node[3] == [b"c"] and len(node[5]) == 2
