"""Idioms of small public NLP and tutorial programs (word-level RNN/LSTM models, attention written
score by score, a GAN's two optimizers, batch normalization, whole-model checkpoints), written the
way those programs use the API, run under minitorch and under PyTorch from the same weights."""
import pickle

import numpy as np
import pytest

import minitorch


def attention_decoder(torch, same_start):
    """An RNN encoder-decoder whose attention scores are written one by one into a zeros tensor and
    whose outputs are written step by step into an empty one (`scores[i] = ...`, `out[i] = ...`)."""
    n_step, n_class, n_hidden = 4, 6, 5
    torch.manual_seed(0)

    class Attention(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc_cell = torch.nn.RNN(input_size=n_class, hidden_size=n_hidden)
            self.dec_cell = torch.nn.RNN(input_size=n_class, hidden_size=n_hidden)
            self.attn = torch.nn.Linear(n_hidden, n_hidden)
            self.out = torch.nn.Linear(n_hidden * 2, n_class)

        def forward(self, enc_inputs, hidden, dec_inputs):
            enc_outputs, hidden = self.enc_cell(enc_inputs.transpose(0, 1), hidden)
            dec_inputs = dec_inputs.transpose(0, 1)
            model = torch.empty([n_step, 1, n_class])
            for i in range(n_step):
                dec_output, hidden = self.dec_cell(dec_inputs[i].unsqueeze(0), hidden)
                scores = torch.zeros(n_step)
                for j in range(n_step):
                    scores[j] = torch.dot(dec_output.view(-1), self.attn(enc_outputs[j]).view(-1))
                weights = torch.nn.functional.softmax(scores, dim=0).view(1, 1, -1)
                context = weights.bmm(enc_outputs.transpose(0, 1)).squeeze(1)
                model[i] = self.out(torch.cat((dec_output.squeeze(0), context), 1))
            return model.transpose(0, 1).squeeze(0)

    net = same_start(Attention())
    eye = np.eye(n_class)
    enc = torch.FloatTensor(eye[[[0, 1, 2, 3]]]).double()
    dec = torch.FloatTensor(eye[[[4, 0, 1, 2]]]).double()
    target = torch.LongTensor([0, 1, 2, 5])
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = torch.nn.CrossEntropyLoss()(net(enc, torch.zeros(1, 1, n_hidden), dec), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {"losses": losses, "attn_grad": net.attn.weight.grad.numpy(), "enc_grad": net.enc_cell.weight_hh_l0.grad.numpy()}


def test_attention_written_score_by_score_trains_as_in_pytorch(run_both, same_numbers):
    same_numbers(*run_both(attention_decoder))


def bilstm_attention(torch, same_start):
    """A bidirectional LSTM started from explicit zero (h, c); its final state, viewed as one column per
    sentence, scores the outputs with bmm (the text-classification-with-attention idiom)."""
    vocab, emb, hidden, classes = 9, 3, 4, 2
    torch.manual_seed(0)

    class BiLSTMAttention(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(vocab, emb)
            self.lstm = torch.nn.LSTM(emb, hidden, bidirectional=True)
            self.out = torch.nn.Linear(hidden * 2, classes)

        def forward(self, x):
            inputs = self.embedding(x).permute(1, 0, 2)
            state = (torch.zeros(2, len(x), hidden), torch.zeros(2, len(x), hidden))
            output, (final_hidden, _) = self.lstm(inputs, state)
            output = output.permute(1, 0, 2)
            weights = torch.bmm(output, final_hidden.view(-1, hidden * 2, 1)).squeeze(2)
            soft = torch.nn.functional.softmax(weights, 1)
            context = torch.bmm(output.transpose(1, 2), soft.unsqueeze(2)).squeeze(2)
            return self.out(context), soft.data.numpy()

    net = same_start(BiLSTMAttention())
    inputs = torch.LongTensor(np.array([[1, 2, 3], [4, 5, 6], [7, 8, 0], [1, 5, 8]]))
    targets = torch.LongTensor([1, 1, 0, 0])
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        output, attention = net(inputs)
        loss = torch.nn.CrossEntropyLoss()(output, targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    predict = net(inputs)[0].data.max(1, keepdim=True)[1]
    return {"losses": losses, "attention": attention, "predict": predict.squeeze().numpy(),
            "lstm_grad": net.lstm.weight_ih_l0_reverse.grad.numpy()}


def test_bidirectional_lstm_attention_trains_as_in_pytorch(run_both, same_numbers):
    same_numbers(*run_both(bilstm_attention))


def batch_norm_regression(torch, same_start):
    """Linear/BatchNorm1d(momentum=0.5)/tanh layers, switched between eval (a test loss) and train. (No
    bias before a batch norm: its gradient is rounding noise, which Adam turns into whole steps.)"""
    torch.manual_seed(0)
    net = same_start(torch.nn.Sequential(torch.nn.BatchNorm1d(1, momentum=0.5), torch.nn.Linear(1, 6, bias=False),
                                         torch.nn.BatchNorm1d(6, momentum=0.5), torch.nn.Tanh(),
                                         torch.nn.Linear(6, 1)))
    x = torch.from_numpy(np.linspace(-7, 10, 12)[:, None])
    y = x.pow(2) - 5
    optimizer = torch.optim.Adam(net.parameters(), lr=0.03)
    test_losses = []
    for _ in range(3):
        net.eval()
        test_losses.append(torch.nn.functional.mse_loss(net(x), y).data.item())
        net.train()
        for batch in (slice(0, 6), slice(6, 12)):
            loss = torch.nn.MSELoss()(net(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return {"test_losses": test_losses, "running_mean": net[0].running_mean.numpy(),
            "running_var": net[2].running_var.numpy(), "batches": net[2].num_batches_tracked.item()}


def test_batch_norm_with_momentum_trains_as_in_pytorch(run_both, same_numbers):
    same_numbers(*run_both(batch_norm_regression))


def _libraries():
    return minitorch, pytest.importorskip("torch")


def test_gan_step_between_two_backwards_through_one_graph_is_refused():
    """D_loss.backward(retain_graph=True); opt_D.step(); G_loss.backward(): the second backward needs
    the discriminator's weights as they were, which the step changed in place: both refuse."""
    for torch in _libraries():
        torch.manual_seed(0)
        G = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
        D = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1), torch.nn.Sigmoid())
        opt_D = torch.optim.Adam(D.parameters(), lr=0.01)
        prob = D(G(torch.randn(5, 3)))
        D_loss, G_loss = -torch.mean(torch.log(1. - prob)), torch.mean(torch.log(1. - prob))
        D_loss.backward(retain_graph=True)
        opt_D.step()
        with pytest.raises(RuntimeError, match="modified by an inplace operation|modified in place"):
            G_loss.backward()


def test_a_loss_formats_like_a_float():
    for torch in _libraries():
        loss = torch.tensor(0.1234567, requires_grad=True) * 2
        assert 'cost = {:.6f}'.format(loss) == "cost = 0.246913"
        assert 'loss: %.4f' % loss.data.numpy() == "loss: 0.2469"


def test_normal_with_tensor_means_keeps_their_shape():
    for torch in _libraries():
        n_data = torch.ones(10, 2)
        assert torch.normal(2 * n_data, 1).shape == (10, 2)
        assert torch.normal(torch.zeros(10, 1), torch.ones(10, 1)).dtype == torch.float32
        assert torch.normal(torch.zeros(*n_data.size())).shape == (10, 2)


def test_a_whole_model_needs_weights_only_false(tmp_path):
    """torch.save(net) then torch.load(path): the default weights_only=True refuses the module class."""
    for torch in _libraries():
        net = torch.nn.Sequential(torch.nn.Linear(1, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
        path = str(tmp_path / f"{torch.__name__}_net.pkl")
        torch.save(net, path)
        with pytest.raises(pickle.UnpicklingError):
            torch.load(path)
        again = torch.load(path, weights_only=False)
        x = torch.ones(2, 1)
        assert np.allclose(again(x).detach().numpy(), net(x).detach().numpy())
