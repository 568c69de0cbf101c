# def is a synonym of fn with the same typing rules
def add(a: Int, b: Int) -> Int:
    return a + b

def mean(a: Float64, b: Float64) -> Float64:
    return (a + b) / 2.0

def show(label: Int, value: Int):
    print("item", label, "=", value)

def main():
    print(add(2, 3))
    print(mean(1.0, 2.0))
    var total = 0
    for i in range(4):
        total = add(total, i * i)
        show(i, total)
    print(add(-7, 7) == 0)
