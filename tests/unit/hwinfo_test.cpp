#include <doctest/doctest.h>

#include "runtime/hwinfo/hardware_probe.hpp"

using namespace baikal;

TEST_CASE("hwinfo: cpuinfo gives the model and the logical core count") {
  auto cpu = hwinfo::parse_cpuinfo("processor\t: 0\nmodel name\t: Test CPU @ 2GHz\n\n"
                                   "processor\t: 1\nmodel name\t: Test CPU @ 2GHz\n");
  CHECK(cpu.status == "healthy");
  CHECK(cpu.metadata["cores"] == "2");
  CHECK(cpu.metadata["model"] == "Test CPU @ 2GHz");
}

TEST_CASE("hwinfo: meminfo gives total and available bytes") {
  auto mem = hwinfo::parse_meminfo("MemTotal:       1024 kB\nMemFree: 10 kB\n"
                                   "MemAvailable:    512 kB\n");
  CHECK(mem.metadata["total_bytes"] == "1048576");
  CHECK(mem.metadata["available_bytes"] == "524288");
}

TEST_CASE("hwinfo: nvidia-smi output lists GPUs, no output means unavailable") {
  auto gpus = hwinfo::parse_nvidia_smi("NVIDIA A100, 40960 MiB\nNVIDIA A100, 40960 MiB\n");
  CHECK(gpus.metadata["count"] == "2");
  CHECK(gpus.metadata["gpu1.name"] == "NVIDIA A100");
  CHECK(hwinfo::parse_nvidia_smi("").status == "unavailable");
}

TEST_CASE("hwinfo: probing this host reports cpu, memory and disk") {
  auto info = hwinfo::probe_host("/", false);
  CHECK(info.kinds.at("cpu").status == "healthy");
  CHECK(info.kinds.at("memory").status == "healthy");
  CHECK(info.kinds.at("disk").status == "healthy");
  CHECK(info.kinds.count("gpu") == 0);
}
