package config

import (
	"strings"
	"testing"
	"time"
)

func TestWarRoom(t *testing.T) {
	cfg := Default()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if cfg.WarRoom.GoingDark != 30*time.Minute || cfg.WarRoom.QuietPeriod.MaxOpenFollowUps != 5 {
		t.Errorf("defaults %+v", cfg.WarRoom)
	}
	if err := Parse([]byte("war_room: {going_dark: 0s, max_clients: 20, quiet_period: {settle: 12h}}"), &cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil || cfg.WarRoom.GoingDark != 0 || cfg.WarRoom.MaxClients != 20 ||
		cfg.WarRoom.QuietPeriod.Settle != 12*time.Hour || cfg.WarRoom.QuietPeriod.Margin != 0.05 {
		t.Errorf("war_room over the defaults: %+v, %v", cfg.WarRoom, err)
	}
	for yaml, want := range map[string]string{
		"war_room: {going_dark: 10s}":                         "war_room.going_dark: 10s: give 0 (off) or at least 1m",
		"war_room: {heartbeat: 0s}":                           "war_room.heartbeat",
		"war_room: {max_clients: 0}":                          "war_room.max_clients",
		"war_room: {buffer: -1}":                              "war_room.buffer",
		"war_room: {quiet_period: {margin: 5}}":               "war_room.quiet_period.margin",
		"war_room: {quiet_period: {baseline: 1m}}":            "war_room.quiet_period.baseline",
		"war_room: {quiet_period: {settle: -1h}}":             "war_room.quiet_period.settle",
		"war_room: {quiet_period: {max_open_follow_ups: -2}}": "war_room.quiet_period.max_open_follow_ups",
	} {
		cfg := Default()
		if err := Parse([]byte(yaml), &cfg); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Validate() = %v, want %q", yaml, err, want)
		}
	}
}
