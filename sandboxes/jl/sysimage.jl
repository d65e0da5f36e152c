# Run by `julia --output-o` (sandboxes/jl/Dockerfile): loads Test and compiles every method
# the workload's run compiled (its --trace-compile file, ARGS[1]); julia then writes the
# process's state as an object file that becomes the system image. Nothing here runs a test,
# so no testset state is left in the image. A process that writes an image does not set up
# stdio, the stdlib path or the load path by itself.
Base.reinit_stdio()
@eval Sys BINDIR = ccall(:jl_get_julia_bindir, Any, ())::String
@eval Sys STDLIB = joinpath(Sys.BINDIR, "..", "share", "julia", "stdlib", string("v", VERSION.major, ".", VERSION.minor))
Base.init_depot_path()
Base.init_load_path()

using Test

let compiled = 0, skipped = 0
    for line in eachline(ARGS[1])
        try
            eval(Meta.parse(line))
            compiled += 1
        catch
            skipped += 1  # a method of the workload's own functions, absent here
        end
    end
    println(stderr, "sysimage: $compiled precompile statements compiled, $skipped skipped")
end
