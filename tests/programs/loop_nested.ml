# nested loops, break in the inner loop only leaves the inner loop
fn main():
    for i in range(1, 4):
        for j in range(1, 4):
            print(i * j, end=" ")
        print()
    var pairs = 0
    for i in range(10):
        for j in range(i):
            if (i + j) % 4 == 0:
                pairs += 1
    print("pairs:", pairs)
    for i in range(4):
        var j = 0
        while True:
            if j * j > i * 3:
                break
            j += 1
        print(i, j)
    var tri = 0
    for a in range(5):
        for b in range(a, 5):
            for c in range(b, 5):
                tri += 1
    print(tri)
