# linear congruential generator with UInt64 wrapping arithmetic (Knuth MMIX constants)
fn next_state(s: UInt64) -> UInt64:
    return s * 6364136223846793005 + 1442695040888963407

fn main():
    var state: UInt64 = 42
    for i in range(5):
        state = next_state(state)
        print(state)
    var hist0 = 0
    var hist1 = 0
    for i in range(1000):
        state = next_state(state)
        if (state >> 63) == 1:
            hist1 += 1
        else:
            hist0 += 1
    print(hist0, hist1)
    var dice = UInt64(0)
    for i in range(10):
        state = next_state(state)
        var roll = (state >> 33) % 6 + 1
        dice += roll
        print(roll, end=" ")
    print()
    print(dice)
    var f = Float64(Int(state >> 11)) / 9007199254740992.0
    print(f < 1.0, f >= 0.0)
