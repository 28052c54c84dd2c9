#!/usr/bin/env bash
echo "interop: none yet"
