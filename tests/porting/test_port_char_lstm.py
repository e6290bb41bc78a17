"""A character-level LSTM language model (makemore/char-rnn style), trained with truncated
backpropagation through time under minitorch and PyTorch from the same weights."""

TEXT = "to be, or not to be, that is the question: whether 'tis nobler in the mind to suffer"


def make_char_lstm(torch):
    """The model class, subclassing the given library's ``nn.Module``."""
    nn = torch.nn

    class CharLSTM(nn.Module):
        def __init__(self, vocab_size, embed_dim=8, hidden_size=12, num_layers=2):
            super().__init__()
            self.embed = nn.Embedding(vocab_size, embed_dim)
            self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=num_layers, batch_first=True)
            self.head = nn.Linear(hidden_size, vocab_size)

        def forward(self, x, state=None):
            out, state = self.lstm(self.embed(x), state)
            return self.head(out), state

    return CharLSTM


def train_char_lstm(torch, same_start):
    """Two epochs over fixed chunks, carrying the detached state; return losses and the final state."""
    nn = torch.nn
    chars = sorted(set(TEXT))
    data = torch.tensor([chars.index(c) for c in TEXT], dtype=torch.long)
    seq_len, batch = 10, 2
    torch.manual_seed(0)
    model = same_start(make_char_lstm(torch)(len(chars)))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    usable = (len(data) - 1) // (batch * seq_len) * batch * seq_len
    inputs = data[:usable].view(batch, -1)
    targets = data[1:usable + 1].view(batch, -1)
    losses = []
    for epoch in range(2):
        model.train()
        state = None
        for i in range(0, inputs.size(1), seq_len):
            x, y = inputs[:, i:i + seq_len], targets[:, i:i + seq_len]
            if state is not None:
                state = tuple(s.detach() for s in state)
            logits, state = model(x, state)
            loss = criterion(logits.reshape(-1, len(chars)), y.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    h, c = state
    with torch.no_grad():
        model.eval()
        logits, _ = model(inputs[:1, :seq_len])
        accuracy = (logits.argmax(dim=-1) == targets[:1, :seq_len]).float().mean().item()
    return {"losses": losses, "h": h.detach().numpy(), "c": c.detach().numpy(), "accuracy": accuracy,
            "grad": model.lstm.weight_hh_l1.grad.numpy()}


def test_char_lstm_trains_as_in_pytorch(run_both, same_numbers):
    ours, theirs = run_both(train_char_lstm)
    same_numbers(ours, theirs)
    assert ours["h"].shape == (2, 2, 12) and ours["losses"][-1] < ours["losses"][0]
