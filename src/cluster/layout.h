// Where everything of a cluster lives on disk, under its directory DIR.
//
// Owner: the cluster control plane (Foundation issue).
//   DIR/gatehouse.toml           the cluster's config (written by the first `up`)
//   DIR/credentials.toml         generated passwords (mode 0600)
//   DIR/run/<name>.pid           the process table (see process_table.h), one file per process
//   DIR/nodes/<name>/my.cnf      generated server config; data/ datadir; tmp/; error.log;
//   mariadbd.sock;
//                                mariadbd.pid; init.sql (first start only); bootstrapped (marker)
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace gh::cluster {

struct NodeLayout {
  std::filesystem::path dir;
  std::filesystem::path my_cnf() const { return dir / "my.cnf"; }
  std::filesystem::path datadir() const { return dir / "data"; }
  std::filesystem::path tmpdir() const { return dir / "tmp"; }  // private: no clashes in /tmp
  std::filesystem::path socket() const { return dir / "mariadbd.sock"; }
  std::filesystem::path error_log() const { return dir / "error.log"; }
  std::filesystem::path stdout_log() const { return dir / "stdout.log"; }
  std::filesystem::path pid_file() const { return dir / "mariadbd.pid"; }
  std::filesystem::path init_file() const { return dir / "init.sql"; }
  std::filesystem::path install_log() const { return dir / "install.log"; }
  std::filesystem::path bootstrapped_marker() const { return dir / "bootstrapped"; }
};

struct ClusterLayout {
  std::filesystem::path dir;
  std::filesystem::path config_file() const { return dir / "gatehouse.toml"; }
  std::filesystem::path credentials_file() const { return dir / "credentials.toml"; }
  std::filesystem::path run_dir() const { return dir / "run"; }
  std::filesystem::path nodes_dir() const { return dir / "nodes"; }
  std::filesystem::path lock_file() const { return dir / ".gatehouse.lock"; }
  NodeLayout node(std::string_view name) const { return NodeLayout{nodes_dir() / name}; }
};

// Unix socket paths are limited to 107 bytes (sun_path).
inline constexpr size_t kMaxSocketPath = 107;

}  // namespace gh::cluster
