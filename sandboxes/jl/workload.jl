# What the Julia image's system image is compiled for (sandboxes/jl/Dockerfile): programs of
# the shape MultiPL-E's Julia tests take (a @testset of `@test(candidate(args...) == expected)`
# over the types its prompts use), once passing and once failing, so that the compiled code
# of Test's checks and of its failure report is in the image. Run once at image build with
# --trace-compile; the methods it compiled are then compiled into the image (sysimage.jl).
using Test

f_int(x::Int64)::Int64 = x + 1
f_float(x::Float64)::Float64 = x / 2
f_str(s::String)::String = uppercase(s)
f_vec(v::Vector{Int64})::Vector{Int64} = sort(v)
f_fvec(v::Vector{Float64})::Vector{Float64} = sort(v)
f_svec(v::Vector{String})::Vector{String} = sort(v)
f_bool(x::Int64)::Bool = iseven(x)
f_tuple(v::Vector{Int64})::Tuple{Int64, Int64} = (minimum(v), maximum(v))
f_dict(s::String)::Dict{String, Int64} = Dict(s => length(s))
f_opt(v::Vector{Int64})::Union{Int64, Nothing} = isempty(v) ? nothing : v[1]
f_nested(n::Int64)::Vector{Vector{Int64}} = [[i] for i in 1:n]

function suite(wrong::Int64)
    @testset begin
        @test(f_int(1) == 2 + wrong)
        @test(f_float(1.0) == 0.5 + wrong)
        @test(f_str("ab") == (wrong == 0 ? "AB" : "x"))
        @test(f_vec([3, 1, 2]) == [1, 2, 3 + wrong])
        @test(f_fvec([3.0, 1.5]) == [1.5, 3.0 + wrong])
        @test(f_svec(["b", "a"]) == (wrong == 0 ? ["a", "b"] : ["b"]))
        @test(f_bool(2) == (wrong == 0))
        @test(f_tuple([1, 5]) == (1, 5 + wrong))
        @test(f_dict("ab") == Dict("ab" => 2 + wrong))
        @test(f_opt(Int64[]) == (wrong == 0 ? nothing : 1))
        @test(f_nested(2) == [[1], [2 + wrong]])
        @test(isapprox(f_float(3.0), 1.5 + wrong, atol = 1e-6))
    end
end

suite(0)
suite(1)  # throws "Some tests did not pass" after printing the failures, as a failing program does
