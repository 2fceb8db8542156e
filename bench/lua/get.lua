-- (a) and the ceiling: one fixed GET (the path is wrk's URL).
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")
