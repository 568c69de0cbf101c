# A tiny autograd tape: nodes hold a function-typed backward; the graph builds
# each node from values it reads out of itself (`self.push(Node(self.tape[a]...))`:
# the new Node is a temporary, so passing it beside `mut self` shares nothing).
from math import tanh
from memory import UnsafePointer

fn back_none(tape: UnsafePointer[Node], i: Int):
    pass

fn back_add(tape: UnsafePointer[Node], i: Int):
    tape[tape[i].a].grad += tape[i].grad
    tape[tape[i].b].grad += tape[i].grad

fn back_mul(tape: UnsafePointer[Node], i: Int):
    var a = tape[i].a
    var b = tape[i].b
    tape[a].grad += tape[i].grad * tape[b].value
    tape[b].grad += tape[i].grad * tape[a].value

fn back_tanh(tape: UnsafePointer[Node], i: Int):
    var t = tape[i].value
    tape[tape[i].a].grad += tape[i].grad * (1.0 - t * t)

@value
struct Node:
    var value: Float64
    var grad: Float64
    var a: Int
    var b: Int
    var backward: fn (UnsafePointer[Node], Int) -> None

struct Graph:
    var tape: UnsafePointer[Node]
    var n: Int

    fn __init__(out self, capacity: Int):
        self.tape = UnsafePointer[Node].alloc(capacity)
        self.n = 0

    fn push(mut self, node: Node) -> Int:
        self.tape[self.n] = node
        self.n += 1
        return self.n - 1

    fn leaf(mut self, v: Float64) -> Int:
        return self.push(Node(v, 0.0, -1, -1, back_none))

    fn add(mut self, a: Int, b: Int) -> Int:
        return self.push(Node(self.tape[a].value + self.tape[b].value, 0.0, a, b, back_add))

    fn mul(mut self, a: Int, b: Int) -> Int:
        return self.push(Node(self.tape[a].value * self.tape[b].value, 0.0, a, b, back_mul))

    fn tanh(mut self, a: Int) -> Int:
        return self.push(Node(tanh(self.tape[a].value), 0.0, a, -1, back_tanh))

    fn backward(mut self, root: Int):
        self.tape[root].grad = 1.0
        for i in range(root, -1, -1):
            var f = self.tape[i].backward
            f(self.tape, i)

fn main():
    var g = Graph(16)
    var x1 = g.leaf(2.0)
    var x2 = g.leaf(0.0)
    var w1 = g.leaf(-3.0)
    var w2 = g.leaf(1.0)
    var b = g.leaf(6.8813735870195432)
    var o = g.tanh(g.add(g.add(g.mul(x1, w1), g.mul(x2, w2)), b))
    g.backward(o)
    print("o =", g.tape[o].value)
    print("x1", g.tape[x1].grad, "w1", g.tape[w1].grad)
    print("x2", g.tape[x2].grad, "w2", g.tape[w2].grad)
    var h = Graph(4)
    var x = h.leaf(3.0)
    var y = h.mul(x, x)
    h.backward(y)
    print(h.tape[y].value, h.tape[x].grad, h.n)
    g.tape.free()
    h.tape.free()
